using System.Net.Http.Json;
using System.Text.Json;
using Narada.Agent;
using Narada.Agent.Configuration;
using Narada.Controller.Hosts;
using Narada.Gearman.Transport;
using Narada.Testing;

namespace Narada.Controller.Tests.EndToEnd;

/// <summary>
/// The whole flow on one machine: a stock gearmand, the controller and two real agents with different tags running
/// real Monitoring Plugins and the procfs collectors.
/// </summary>
[Trait("Category", "Peers")]
public sealed class FleetTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("narada-fleet-").FullName;
    private readonly CancellationTokenSource _stopWeb = new();
    private readonly CancellationTokenSource _stopDb = new();
    private GearmandServer _gearmand = null!;
    private NaradaController _controller = null!;
    private NaradaAgent _web = null!;
    private NaradaAgent _db = null!;
    private Task _webRun = Task.CompletedTask;
    private Task _dbRun = Task.CompletedTask;
    private string HandlerLog => Path.Combine(_dir, "alerts.log");

    public async Task InitializeAsync()
    {
        _gearmand = await GearmandServer.StartAsync();
        var config = Directory.CreateDirectory(Path.Combine(_dir, "config")).FullName;
        File.WriteAllText(Path.Combine(config, "fleet.yaml"), $$"""
            kind: Collector
            name: node
            plugin: system.node
            every: 1s
            targets: { tags: [linux] }
            ---
            kind: Check
            name: broken
            plugin: nagios.check_dummy
            params: { state: "2", text: "it is broken" }
            every: 1s
            ttl: 4s
            attempts: 3
            targets: { tags: [db] }
            handlers: [alert]
            ---
            kind: Check
            name: load
            plugin: nagios.check_load
            every: 1s
            targets: { tags: [web] }
            ---
            kind: Handler
            name: alert
            exec: [/usr/bin/tee, -a, {{HandlerLog}}]
            """);
        var servers = new[] { new ServerAddress(_gearmand.Host, _gearmand.Port) };
        _controller = new NaradaController(new ControllerOptions
        {
            ConfigDirectory = config,
            DataDirectory = Path.Combine(_dir, "data"),
            Servers = servers,
            HttpListen = "127.0.0.1:0",
            MaxSplay = TimeSpan.FromMilliseconds(200),
            SweepInterval = TimeSpan.FromMilliseconds(250),
        });
        await _controller.StartAsync();
        _web = Agent("web01", ["linux", "web"], servers);
        _db = Agent("db01", ["linux", "db"], servers);
        _webRun = _web.RunAsync(_stopWeb.Token);
        _dbRun = _db.RunAsync(_stopDb.Token);
    }

    private static NaradaAgent Agent(string name, string[] tags, ServerAddress[] servers) => new(new AgentConfig
    {
        Name = name,
        Tags = tags,
        Servers = servers,
        PluginDirs = [RepoPaths.Plugins],
        HeartbeatInterval = TimeSpan.FromMilliseconds(300),
        Concurrency = 4,
        StopTimeout = TimeSpan.FromSeconds(2),
    });

    [Fact]
    public async Task Checks_and_collectors_run_on_the_right_hosts_alert_once_and_go_stale_when_an_agent_dies()
    {
        // Collectors run on both hosts; their samples carry the host label.
        using var http = new HttpClient { BaseAddress = _controller.HttpAddress };
        await Retry.UntilAsync(async () =>
        {
            var m = await http.GetStringAsync("/metrics");
            return m.Contains("node_load1{host=\"web01\"}") && m.Contains("node_load1{host=\"db01\"}");
        }, "node samples from both hosts", TimeSpan.FromSeconds(20));

        // check_load targets tag web only; check_dummy CRITICAL targets db only and alerts once after 3 attempts.
        await Retry.UntilAsync(() => File.Exists(HandlerLog) && File.ReadAllText(HandlerLog).Contains("it is broken"),
            "the alert handler", TimeSpan.FromSeconds(20));
        Assert.True(_controller.Checks.TryGet("load", "web01", out var load));
        Assert.False(_controller.Checks.TryGet("load", "db01", out _));
        Assert.False(_controller.Checks.TryGet("broken", "web01", out _));
        Assert.StartsWith("LOAD", load.State.Output.ToUpperInvariant().TrimStart());
        var checks = await http.GetFromJsonAsync<JsonElement>("/api/checks?check=broken");
        Assert.Equal("CRITICAL", checks[0].GetProperty("hard_status").GetString());
        await Task.Delay(1500); // more CRITICAL results arrive; no new hard change, no new alert
        Assert.Single(File.ReadAllLines(HandlerLog));

        // Kill db01's agent: it goes down, its checks turn UNKNOWN, its series stay until it leaves.
        await _stopDb.CancelAsync();
        await _dbRun;
        await _db.DisposeAsync();
        await Retry.UntilAsync(() => _controller.Hosts.TryGet("db01", out var h) && h.Status == HostStatus.Down,
            "db01 to be marked down", TimeSpan.FromSeconds(10));
        await Retry.UntilAsync(() => _controller.Checks.TryGet("broken", "db01", out var e) && e.State.Status == Core.Formats.CheckStatus.Unknown,
            "db01's check to go stale", TimeSpan.FromSeconds(10));
        var metrics = await http.GetStringAsync("/metrics");
        Assert.Contains("narada_agent_up{host=\"db01\"} 0", metrics);
        Assert.Contains("narada_agent_up{host=\"web01\"} 1", metrics);
        Assert.Contains("narada_check_status{check=\"broken\",host=\"db01\"} 3", metrics);
        Assert.Empty(await Promtool.ProblemsAsync(metrics));
    }

    public async Task DisposeAsync()
    {
        await _stopWeb.CancelAsync();
        await _stopDb.CancelAsync();
        await _webRun;
        await _dbRun;
        await _web.DisposeAsync();
        if (!_dbRun.IsCompleted)
            await _db.DisposeAsync();
        await _controller.DisposeAsync();
        await _gearmand.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
