// The scenarios they run are Linux-only (/proc, signals, shell-script plugins), as the harness is.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
