using System.Globalization;
using Narada.Gearman.Protocol;
using Narada.JobServer.Tests.Support;
using Narada.Testing;

namespace Narada.JobServer.Tests.Cli;

/// <summary>config/systemd/narada-jobserver.service: systemd accepts it, and its command line serves as written.</summary>
[Trait("Category", "Peers")]
public sealed class ServiceUnitTests : IDisposable
{
    private const string InstalledPath = "/usr/local/bin/narada";
    private readonly string _dir = Directory.CreateTempSubdirectory("narada-unit-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly SystemdUnit Unit = new("config", "systemd", "narada-jobserver.service");

    [Fact]
    public async Task Systemd_analyze_verify_accepts_the_unit()
    {
        var verify = await Unit.VerifyAsync(Path.Combine(AppContext.BaseDirectory, "narada"), _dir);

        Assert.True(verify.ExitCode == 0 && verify.Stderr.Length == 0 && verify.Stdout.Length == 0, verify.ToString());
    }

    [Fact]
    public async Task Its_command_line_serves_jobs_keeps_them_in_the_queue_file_and_exports_metrics()
    {
        var argv = Unit.ExecStart;
        Assert.Equal(InstalledPath, argv[0]);
        int port = FreePort.Next(), metricsPort = FreePort.Next();
        var queue = Path.Combine(_dir, "queue.sqlite");
        // The unit's own options, with this test's ports and queue file in place of the installed ones.
        string[] args = [.. argv.Skip(1).Select(a => a switch
        {
            "4730" => port.ToString(CultureInfo.InvariantCulture),
            "9641" => metricsPort.ToString(CultureInfo.InvariantCulture),
            "/var/lib/narada-jobserver/queue.sqlite" => queue,
            _ => a,
        })];
        Assert.Equal("jobserver", args[0]);

        await using var narada = await NaradaProcess.LaunchAsync(port, [.. NaradaProcess.Command, .. args]);
        await using (var client = await RawConnection.ConnectAsync(port))
        {
            await client.SendAsync(PacketType.SubmitJobBg, "unit-test", "", "x");
            await client.ExpectAsync(PacketType.JobCreated);
        }

        using var http = new HttpClient();
        var metrics = await http.GetStringAsync(new Uri($"http://127.0.0.1:{metricsPort}/metrics"));
        Assert.Contains("narada_jobserver_jobs_queued{function=\"unit-test\"", metrics);
        Assert.True(new FileInfo(queue).Length > 0, "the background job is in the unit's queue file");
    }
}
