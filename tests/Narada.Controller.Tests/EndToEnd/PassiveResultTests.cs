using System.Text.Json;
using Narada.Controller;
using Narada.Gearman.Transport;
using Narada.Testing;

namespace Narada.Controller.Tests.EndToEnd;

/// <summary>
/// Passive results pushed with the real `gearman -b -f narada.results` tool through a real gearmand reach the
/// controller's state, history, handlers and /metrics: the Mod-Gearman pattern any host can use.
/// </summary>
[Trait("Category", "Peers")]
public sealed class PassiveResultTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("narada-passive-").FullName;
    private GearmandServer _gearmand = null!;
    private NaradaController _controller = null!;
    private string HandlerLog => Path.Combine(_dir, "handler.log");

    public async Task InitializeAsync()
    {
        _gearmand = await GearmandServer.StartAsync();
        var config = Directory.CreateDirectory(Path.Combine(_dir, "config")).FullName;
        File.WriteAllText(Path.Combine(config, "checks.yaml"), $"""
            kind: Check
            name: backup
            plugin: nagios.check_dummy
            every: 1h
            targets: {"{"} hosts: [web01] {"}"}
            attempts: 2
            handlers: [record]
            ---
            kind: Handler
            name: record
            exec: [/usr/bin/tee, -a, {HandlerLog}]
            """);
        _controller = new NaradaController(new ControllerOptions
        {
            ConfigDirectory = config,
            DataDirectory = Path.Combine(_dir, "data"),
            Servers = [new ServerAddress(_gearmand.Host, _gearmand.Port)],
            HttpListen = "127.0.0.1:0",
        });
        await _controller.StartAsync();
    }

    private async Task PushAsync(int status, string output)
    {
        var message = JsonSerializer.Serialize(new { v = 1, type = "passive", host = "web01", name = "backup", status, output });
        var result = await ExternalProcess.RunAsync(RequiredTool.Gearman,
            ["-h", _gearmand.Host, "-p", _gearmand.Port.ToString(), "-b", "-f", "narada.results", message]);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private string[] HandlerEvents() => File.Exists(HandlerLog)
        ? File.ReadAllText(HandlerLog).Split('}', StringSplitOptions.RemoveEmptyEntries).Where(s => s.Contains("\"event\"")).ToArray()
        : [];

    [Fact]
    public async Task A_problem_fires_the_handler_once_after_its_attempts_and_again_on_recovery()
    {
        await PushAsync(2, "backup failed");
        await Retry.UntilAsync(() => _controller.Checks.TryGet("backup", "web01", out _), "the first result to arrive");
        await Task.Delay(300);
        Assert.Empty(HandlerEvents()); // soft: one attempt of two

        await PushAsync(2, "backup failed again");
        await Retry.UntilAsync(() => HandlerEvents().Length == 1, "the problem handler");
        Assert.Contains("\"event\":\"problem\"", HandlerEvents()[0]);
        Assert.Contains("\"state\":\"CRITICAL\"", HandlerEvents()[0]);

        await PushAsync(2, "still failing");
        await PushAsync(0, "backup ok");
        await Retry.UntilAsync(() => HandlerEvents().Length == 2, "the recovery handler");
        Assert.Contains("\"event\":\"recovery\"", HandlerEvents()[1]);

        using var http = new HttpClient();
        var metrics = await http.GetStringAsync(new Uri(_controller.HttpAddress!, "/metrics"));
        Assert.Contains("narada_check_status{check=\"backup\",host=\"web01\"} 0", metrics);
        Assert.Contains("narada_results_received_total{type=\"passive\"} 4", metrics);
        Assert.Empty(await Promtool.LintAsync(metrics));

        await _controller.History.FlushAsync();
        var events = _controller.History.RecentEvents(10, check: "backup");
        Assert.Contains(events, e => e.Kind == "hard" && e.Current == Core.Formats.CheckStatus.Ok);
    }

    [Fact]
    public async Task A_garbage_message_is_counted_and_the_next_one_still_counts()
    {
        var garbage = await ExternalProcess.RunAsync(RequiredTool.Gearman,
            ["-h", _gearmand.Host, "-p", _gearmand.Port.ToString(), "-b", "-f", "narada.results", "{not json"]);
        Assert.Equal(0, garbage.ExitCode);
        await PushAsync(0, "fine");
        await Retry.UntilAsync(() => _controller.Checks.TryGet("backup", "web01", out _), "the valid result after the garbage");
        Assert.Equal(1, _controller.Metrics.InvalidResults.Value);
    }

    public async Task DisposeAsync()
    {
        await _controller.DisposeAsync();
        await _gearmand.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
