using Narada.Testing;

namespace Narada.Cli.Tests.Verbs;

/// <summary>
/// <c>narada up --server</c>: on a machine where Debian's gearman-job-server already serves 4730, up runs its controller
/// and local agent through that stock gearmand instead of failing on the port.
/// </summary>
[Trait("Category", "Peers")]
public sealed class UpWithGearmandTests
{
    [Fact]
    public async Task Up_runs_controller_and_agent_through_an_existing_gearmand()
    {
        await using var gearmand = await GearmandServer.StartAsync();
        int http = FreePort.Next();
        var data = Directory.CreateTempSubdirectory("narada-up-gearmand-").FullName;
        await using var up = NaradaCli.Start(["up", "--server", gearmand.Address, "--http", $"127.0.0.1:{http}", "--data", data],
            workingDirectory: RepoPaths.Root);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http}/") };
            await Retry.UntilAsync(async () =>
            {
                if (up.HasExited)
                    throw new InvalidOperationException($"narada up exited: {up.Stderr}{up.Stdout}");
                try
                {
                    var metrics = await client.GetStringAsync("metrics");
                    return metrics.Contains("node_load1{host=", StringComparison.Ordinal)
                        && metrics.Contains("narada_check_status{check=\"disk-root\"", StringComparison.Ordinal);
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, "statistics and the disk-root check through gearmand", TimeSpan.FromSeconds(60));

            // Everything went through the stock gearmand: the controller and the agent are its workers, and no job
            // server of up's own was started.
            var status = await ExternalProcess.RunAsync(RequiredTool.Gearadmin, ["-h", gearmand.Host, "-p", gearmand.Port.ToString(), "--status"]);
            var lines = status.Stdout.Split('\n');
            Assert.Contains(lines, l => l.StartsWith("narada.results\t", StringComparison.Ordinal) && l.EndsWith("\t1", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("narada.check@", StringComparison.Ordinal) && l.EndsWith("\t1", StringComparison.Ordinal));
            Assert.DoesNotContain("narada jobserver listening", up.Stdout, StringComparison.Ordinal);
            Assert.Contains($"job server  {gearmand.Address}", up.Stdout, StringComparison.Ordinal);

            var exit = await NaradaCli.InterruptAsync(up);
            Assert.True(exit.ExitCode == 0, exit.ToString());
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
