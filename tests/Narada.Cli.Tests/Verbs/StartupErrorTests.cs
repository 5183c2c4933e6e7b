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

    /// <summary>An HTTP port someone else holds is named in one line, with the option that moves it; no stack trace.</summary>
    [Fact]
    public async Task A_taken_http_port_is_one_clear_line()
    {
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        holder.Start();
        int taken = ((System.Net.IPEndPoint)holder.LocalEndpoint).Port;
        var data = Directory.CreateTempSubdirectory("narada-taken-").FullName;
        try
        {
            var result = await NaradaCli.RunAsync(["up", "--port", FreePort.Next().ToString(), "--http", $"127.0.0.1:{taken}", "--data", data],
                workingDirectory: RepoPaths.Root);

            Assert.Equal(1, result.ExitCode);
            Assert.Contains($"narada: 127.0.0.1:{taken} is in use (another narada?); pick another with --http.", result.Stderr);
            Assert.DoesNotContain("   at ", result.Stdout + result.Stderr);
            Assert.DoesNotContain("Hosting failed", result.Stdout + result.Stderr);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
