using Narada.JobServer.Tests.Support;
using Narada.Testing;

namespace Narada.JobServer.Tests.Cli;

/// <summary><c>narada jobserver</c> as users run it: gearmand's options, one start line, clean Ctrl-C.</summary>
public sealed class JobServerCommandTests
{
    [Fact]
    public async Task StartsLogsWhereItListensServesAndStopsOnCtrlC()
    {
        int port = FreePort.Next();
        await using var narada = await NaradaProcess.StartAsync(port, "-q", "none", "-L", "127.0.0.1", "-j", "3", "--job-handle-prefix", "H:cli", "--verbose", "INFO");
        await using (var client = await RawConnection.ConnectAsync(port))
        {
            await client.SendAsync(Narada.Gearman.Protocol.PacketType.SubmitJobBg, "f", "", "x");
            Assert.Equal("H:cli:1", (await client.ExpectAsync(Narada.Gearman.Protocol.PacketType.JobCreated))[0]);
        }
        await Retry.UntilAsync(() => narada.Process.Stdout.Contains($"listening on 127.0.0.1:{port}", StringComparison.Ordinal), "the start line");

        var kill = await ExternalProcess.RunAsync(RequiredTool.Path("kill", "procps"), ["-INT", narada.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.Equal(0, kill.ExitCode);
        var exit = await narada.Process.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, exit.ExitCode);
        Assert.Single(exit.Stdout.Split('\n'), l => l.Contains("listening on", StringComparison.Ordinal));
        Assert.Contains($"127.0.0.1:{port} stopped", exit.Stdout);
    }

    [Fact]
    public async Task BusyPortIsAClearErrorNotAStackTrace()
    {
        await using var holder = new JobServer(new JobServerOptions { Port = 0 });
        await holder.StartAsync();
        var dll = Path.Combine(AppContext.BaseDirectory, "narada.dll");

        var result = await ExternalProcess.RunAsync(RequiredTool.Path("dotnet", "dotnet-sdk-10.0"),
            [dll, "jobserver", "-q", "none", "-p", holder.Endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"cannot listen on 127.0.0.1:{holder.Endpoint.Port}", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }
}
