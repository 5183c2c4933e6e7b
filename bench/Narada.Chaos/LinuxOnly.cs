// The harness reads /proc, sends signals and runs shell-script plugins: it is a Linux tool, as the agents it tests are.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
