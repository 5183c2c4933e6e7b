using System.Globalization;
using Narada.Testing;

namespace Narada.Cli.Tests.Verbs;

/// <summary>
/// config/systemd/narada-server.service: systemd accepts it, and its command line runs the controller against the
/// job server of narada-jobserver.service, reads its definitions directory and stops cleanly on SIGTERM.
/// </summary>
public sealed class ServerUnitTests : IDisposable
{
    private const string InstalledPath = "/usr/local/bin/narada";
    private static readonly SystemdUnit Unit = new("config", "systemd", "narada-server.service");
    private readonly string _dir = Directory.CreateTempSubdirectory("narada-server-unit-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Systemd_analyze_verify_accepts_the_unit()
    {
        var verify = await Unit.VerifyAsync(Path.Combine(AppContext.BaseDirectory, "narada"), _dir);

        Assert.True(verify.ExitCode == 0 && verify.Stderr.Length == 0 && verify.Stdout.Length == 0, verify.ToString());
    }

    [Fact]
    public void It_starts_after_the_job_server_unit_that_its_server_option_names()
    {
        var jobServer = new SystemdUnit("config", "systemd", "narada-jobserver.service").ExecStart;
        string port = jobServer[Array.IndexOf(jobServer, "--port") + 1];
        string listen = jobServer[Array.IndexOf(jobServer, "--listen") + 1];

        var argv = Unit.ExecStart;
        Assert.Equal($"{listen}:{port}", argv[Array.IndexOf(argv, "--server") + 1]);
        Assert.Contains("narada-jobserver.service", Unit.Values("After"));
        Assert.Contains("narada-jobserver.service", Unit.Values("Wants"));
    }

    [Fact]
    public async Task Its_command_line_serves_the_definitions_through_the_job_server_and_SIGTERM_stops_it()
    {
        var argv = Unit.ExecStart;
        Assert.Equal(InstalledPath, argv[0]);
        int port = FreePort.Next(), http = FreePort.Next();
        var data = Path.Combine(_dir, "state");
        await using var jobServer = await NaradaCli.StartListeningAsync(["jobserver", "--port", port.ToString(CultureInfo.InvariantCulture)], port);

        // The unit's own arguments, with this test's job server, definitions (the shipped ones), state and HTTP port.
        string[] args = [.. argv.Skip(1).Select(a => a switch
        {
            "127.0.0.1:4730" => $"127.0.0.1:{port}",
            "/etc/narada/definitions" => RepoPaths.Config,
            "/var/lib/narada-server" => data,
            "127.0.0.1:9640" => $"127.0.0.1:{http}",
            _ => a,
        })];
        Assert.Equal("server", args[0]);
        await using var server = await NaradaCli.StartListeningAsync(args, http);

        // It takes results from the job server, and the apply definitions it serves are the ones in --config.
        await Retry.UntilAsync(async () =>
        {
            var status = await ExternalProcess.RunAsync(RequiredTool.Gearadmin, ["-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "--status"]);
            return status.Stdout.Split('\n').Any(l => l.StartsWith("narada.results\t", StringComparison.Ordinal) && l.EndsWith("\t1", StringComparison.Ordinal));
        }, "the controller to serve narada.results on the job server");
        var preview = await NaradaCli.RunAsync(["apply", "motd", "--dry-run", "--url", $"http://127.0.0.1:{http}/"]);
        Assert.True(preview.ExitCode == 0 && preview.Stdout.Contains(" of motd", StringComparison.Ordinal), preview.ToString());
        Assert.True(File.Exists(Path.Combine(data, "controller.db")), "its state is in --data");

        var term = await ExternalProcess.RunAsync(RequiredTool.Path("kill", "procps"), ["-TERM", server.Id.ToString(CultureInfo.InvariantCulture)]);
        Assert.Equal(0, term.ExitCode);
        var stopped = await server.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(stopped.ExitCode == 0, stopped.ToString());
    }
}
