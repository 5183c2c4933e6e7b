using Narada.Testing;

namespace Narada.Cli.Tests.Verbs;

public class StartupErrorTests
{
    /// <summary>Broken definitions are reported with file:line:column before anything listens or opens its queue.</summary>
    [Theory]
    [InlineData("up")]
    [InlineData("server")]
    public async Task Broken_definitions_stop_the_start_before_the_job_server_listens(string verb)
    {
        var config = Directory.CreateTempSubdirectory("narada-bad-config-").FullName;
        var data = Path.Combine(config, "data");
        File.WriteAllText(Path.Combine(config, "checks.yaml"), "kind: Check\nname: c\nplugin: nagios.check_dummy\nevery: 5\n");
        try
        {
            var result = await NaradaCli.RunAsync([verb, "--config", config, "--data", data, "--port", FreePort.Next().ToString(),
                "--http", $"127.0.0.1:{FreePort.Next()}"], workingDirectory: RepoPaths.Root);

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("checks.yaml:4:8", result.Stderr);
            Assert.DoesNotContain("listening", result.Stdout + result.Stderr);
            Assert.False(File.Exists(Path.Combine(data, "jobserver.sqlite")), "the job server's queue was created");
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }
}
