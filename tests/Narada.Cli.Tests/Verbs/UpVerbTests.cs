using System.Net.Http.Json;
using System.Text.Json;
using Narada.Testing;

namespace Narada.Cli.Tests.Verbs;

/// <summary>`narada up` as a newcomer runs it, from the checkout, with the shipped config and agent sample.</summary>
[Trait("Category", "Peers")]
public sealed class UpVerbTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("narada-up-").FullName;
    private readonly int _port = FreePort.Next();
    private readonly int _http = FreePort.Next();
    private ExternalProcess _up = null!;
    private Uri Http => new($"http://127.0.0.1:{_http}/");

    public async Task InitializeAsync()
    {
        _up = await NaradaCli.StartListeningAsync(["up", "--port", _port.ToString(), "--http", $"127.0.0.1:{_http}", "--data", _data],
            _http, RepoPaths.Root);
    }

    [Fact]
    public async Task Statistics_and_default_checks_show_up_within_seconds_and_every_verb_sees_them()
    {
        using var http = new HttpClient { BaseAddress = Http };
        await Retry.UntilAsync(async () =>
        {
            var metrics = await http.GetStringAsync("metrics");
            return metrics.Contains("node_load1{host=") && metrics.Contains("narada_check_status{check=\"disk-root\"");
        }, "node statistics and the disk-root check on /metrics", TimeSpan.FromSeconds(30));
        Assert.Contains("Narada is up.", _up.Stdout);

        var hosts = await http.GetFromJsonAsync<JsonElement>("api/hosts");
        var host = hosts[0].GetProperty("name").GetString()!;

        var status = await NaradaCli.RunAsync(["status", "--url", Http.ToString()]);
        Assert.True(status.ExitCode is 0 or 1, status.ToString());
        Assert.Contains("disk-root", status.Stdout);
        // Piped, the table is not cut to 80 columns: the check's whole output stays on its row, so grep finds it.
        Assert.Contains("inode=", status.Stdout.Split('\n').Single(l => l.Contains("disk-root", StringComparison.Ordinal)));

        var run = await NaradaCli.RunAsync(["run", "disk-root", "--host", host, "--server", $"127.0.0.1:{_port}", "--config", RepoPaths.Config]);
        Assert.True(run.ExitCode is >= 0 and <= 2, run.ToString());
        Assert.Contains("DISK", run.Stdout);

        // The sample agent allows exactly /etc/motd: the dry run shows the rendered file, not a refusal.
        var preview = await NaradaCli.RunAsync(["apply", "motd", "--dry-run", "--url", Http.ToString()]);
        Assert.True(preview.ExitCode == 0, preview.ToString());
        Assert.Contains($"{host} /etc/motd:", preview.Stdout);
        Assert.Contains("managed by Narada", preview.Stdout);

        var admin = await ExternalProcess.RunAsync(RequiredTool.Gearadmin, ["-h", "127.0.0.1", "-p", _port.ToString(), "--status"]);
        Assert.Contains("narada.results", admin.Stdout);
    }

    [Fact]
    public async Task SIGHUP_reloads_the_definitions_and_the_local_agent_and_everything_goes_on()
    {
        await Retry.UntilAsync(() => Occurrences(_up.Stdout, " serving narada.") == 1, "the local agent to start");

        var hup = await ExternalProcess.RunAsync(RequiredTool.Path("kill", "procps"), ["-HUP", _up.Id.ToString()]);

        Assert.Equal(0, hup.ExitCode);
        await Retry.UntilAsync(() => Occurrences(_up.Stdout, " serving narada.") == 2 || _up.HasExited, "the local agent to start again");
        Assert.Contains("SIGHUP: reloading the definitions", _up.Stdout);
        Assert.Equal(2, Occurrences(_up.Stdout, "definitions loaded from"));
        Assert.False(_up.HasExited, _up.Stderr);
        using var http = new HttpClient { BaseAddress = Http };
        Assert.Contains("\"status\":\"ok\"", await http.GetStringAsync("api/health"));
    }

    private static int Occurrences(string text, string what) =>
        (text.Length - text.Replace(what, "", StringComparison.Ordinal).Length) / what.Length;

    public async Task DisposeAsync()
    {
        try
        {
            if (!_up.HasExited)
            {
                // Ctrl-C stops everything cleanly.
                var exit = await NaradaCli.InterruptAsync(_up);
                Assert.True(exit.ExitCode == 0, exit.ToString());
            }
        }
        finally
        {
            // Killed if Ctrl-C did not stop it, so a failure here leaves no server behind.
            await _up.DisposeAsync();
            Directory.Delete(_data, recursive: true);
        }
    }
}
