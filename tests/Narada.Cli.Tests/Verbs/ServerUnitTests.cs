using System.Globalization;
using Narada.Testing;

namespace Narada.Cli.Tests.Verbs;

/// <summary>
/// config/systemd/narada-server.service: systemd accepts it, and its command line runs the controller against the
/// job server of narada-jobserver.service, reads its definitions directory and stops cleanly on SIGTERM.
/// </summary>
[Trait("Category", "Peers")]
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
        int port = FreePort.Next(), http = FreePort.Next();
        var data = Path.Combine(_dir, "state");
        await using var jobServer = await NaradaCli.StartListeningAsync(["jobserver", "--port", port.ToString(CultureInfo.InvariantCulture)], port);
        await using var server = await StartUnitCommandLineAsync(port, http, data);

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

    [Fact]
    public async Task Its_reload_command_reloads_the_definitions_and_the_controller_goes_on()
    {
        // systemctl reload runs ExecReload; SIGHUP used to end the controller, without even a clean stop.
        int port = FreePort.Next(), http = FreePort.Next();
        await using var jobServer = await NaradaCli.StartListeningAsync(["jobserver", "--port", port.ToString(CultureInfo.InvariantCulture)], port);
        await using var server = await StartUnitCommandLineAsync(port, http, Path.Combine(_dir, "state"));
        var reload = Unit.Values("ExecReload");
        Assert.Equal(["/bin/kill", "-HUP", "$MAINPID"], reload);

        var sent = await ExternalProcess.RunAsync(reload[0], [.. reload[1..^1], server.Id.ToString(CultureInfo.InvariantCulture)]);

        Assert.Equal(0, sent.ExitCode);
        try
        {
            await Retry.UntilAsync(() => Occurrences(server.Stdout, "definitions loaded from") == 2,
                "the definitions loaded a second time after SIGHUP");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; exited: {server.HasExited}\nstdout:\n{server.Stdout}\nstderr:\n{server.Stderr}", e);
        }
        Assert.Contains($"SIGHUP: reloading the definitions in {RepoPaths.Config}", server.Stdout);
        using var http1 = new HttpClient();
        var metrics = await http1.GetStringAsync($"http://127.0.0.1:{http}/metrics");
        Assert.Contains("narada_config_reloads_total{outcome=\"ok\"} 1", metrics);
        Assert.False(server.HasExited, server.Stderr);
    }

    [Fact]
    public async Task A_reload_that_comes_while_the_controller_starts_does_not_end_it()
    {
        // systemctl reload right after start used to hit the moment between loading the definitions and taking SIGHUP
        // over, and the signal's default action ended the controller; that moment is where this reload lands.
        int port = FreePort.Next(), http = FreePort.Next();
        await using var jobServer = await NaradaCli.StartListeningAsync(["jobserver", "--port", port.ToString(CultureInfo.InvariantCulture)], port);
        var server = NaradaCli.Start(["server", "--server", $"127.0.0.1:{port}",
            "--config", RepoPaths.Config, "--data", Path.Combine(_dir, "early"), "--http", $"127.0.0.1:{http}"]);
        await using var _ = server;
        await server.WaitForStdoutAsync("definitions loaded from", TimeSpan.FromSeconds(30));

        var sent = await ExternalProcess.RunAsync("/bin/kill", ["-HUP", server.Id.ToString(CultureInfo.InvariantCulture)]);

        Assert.Equal(0, sent.ExitCode);
        await GearmandServer.WaitForListenerAsync(http, () => server.HasExited ? $"the controller ended: {server.Stdout}{server.Stderr}" : null);
        Assert.False(server.HasExited);
    }

    private static int Occurrences(string text, string what) =>
        (text.Length - text.Replace(what, "", StringComparison.Ordinal).Length) / what.Length;

    /// <summary>The unit's own ExecStart arguments, with this test's job server, definitions (the shipped ones), state
    /// and HTTP port.</summary>
    private static async Task<ExternalProcess> StartUnitCommandLineAsync(int port, int http, string data)
    {
        var argv = Unit.ExecStart;
        Assert.Equal(InstalledPath, argv[0]);
        string[] args = [.. argv.Skip(1).Select(a => a switch
        {
            "127.0.0.1:4730" => $"127.0.0.1:{port}",
            "/etc/narada/definitions" => RepoPaths.Config,
            "/var/lib/narada-server" => data,
            "127.0.0.1:9640" => $"127.0.0.1:{http}",
            _ => a,
        })];
        Assert.Equal("server", args[0]);
        return await NaradaCli.StartListeningAsync(args, http);
    }
}
