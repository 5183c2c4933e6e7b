using System.Net.Http.Json;
using System.Text.Json;
using Narada.Agent;
using Narada.Agent.Configuration;
using Narada.Controller.Store;
using Narada.Core.Contracts;
using Narada.Gearman.Transport;
using Narada.Testing;

namespace Narada.Controller.Tests.Cluster;

/// <summary>
/// Two controllers on one real PostgreSQL, one stock gearmand and a real agent whose check appends to a ledger on every
/// run: the ledger, kept outside the controllers, says how often the check really ran.
/// </summary>
[Trait("Category", "Peers")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ClusterTests : IAsyncLifetime
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private readonly string _dir = Directory.CreateTempSubdirectory("narada-cluster-").FullName;
    private readonly List<NaradaController> _controllers = [];
    private readonly CancellationTokenSource _stop = new();
    private GearmandServer _gearmand = null!;
    private string _store = "";
    private readonly List<(NaradaAgent Agent, Task Run)> _agents = [];

    private LedgerPlugin _ledger = null!;
    private string StateFile => _ledger.StateFile;
    private string HandlerLog => Path.Combine(_dir, "handler.log");

    public async Task InitializeAsync()
    {
        _gearmand = await GearmandServer.StartAsync();
        _store = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        _ledger = new LedgerPlugin(_dir);
        var config = Directory.CreateDirectory(Path.Combine(_dir, "config")).FullName;
        await File.WriteAllTextAsync(Path.Combine(config, "checks.yaml"), _ledger.Check("tick", "2s", "web01", handler: "record") + $$"""

            ---
            kind: Apply
            name: motd
            targets: { hosts: [web01] }
            files:
              - path: "{{Path.Combine(_dir, "applied", "motd")}}"
                content: "hello from the cluster\n"
            ---
            kind: Apply
            name: spread
            targets: { hosts: [web01, web02, web03] }
            rollout: { batch: 1, pause: 3s }
            files:
              - path: "{{Path.Combine(_dir, "applied", "spread")}}"
                content: "one host at a time\n"
            ---
            kind: Handler
            name: record
            exec: [/usr/bin/tee, -a, "{{HandlerLog}}"]
            """);
    }

    private async Task<NaradaController> StartControllerAsync()
    {
        var controller = new NaradaController(new ControllerOptions
        {
            ConfigDirectory = Path.Combine(_dir, "config"),
            DataDirectory = Path.Combine(_dir, $"data{_controllers.Count}"),
            Servers = [new ServerAddress(_gearmand.Host, _gearmand.Port)],
            HttpListen = "127.0.0.1:0",
            MaxSplay = TimeSpan.FromMilliseconds(100),
            SweepInterval = TimeSpan.FromMilliseconds(500),
            Store = new StoreLocation(StoreKind.Postgres, _store),
        });
        _controllers.Add(controller);
        await controller.StartAsync();
        return controller;
    }

    private void StartAgent(string name = "web01")
    {
        var agent = new NaradaAgent(new AgentConfig
        {
            Name = name,
            Servers = [new ServerAddress(_gearmand.Host, _gearmand.Port)],
            PluginDirs = [_ledger.PluginDirectory],
            HeartbeatInterval = TimeSpan.FromSeconds(1),
            Apply = new ApplyConfig { Paths = [Directory.CreateDirectory(Path.Combine(_dir, "applied")).FullName], BackupDir = Path.Combine(_dir, "backup", name) },
        });
        _agents.Add((agent, agent.RunAsync(_stop.Token)));
    }

    private long[] Runs() => _ledger.Runs();

    [Fact]
    public async Task Two_controllers_run_each_check_once_per_interval_and_its_handlers_once_per_change()
    {
        var first = await StartControllerAsync();
        // Half an interval later: without the claims, the two would fire a half interval apart and both dispatch.
        await Task.Delay(Interval / 2);
        var second = await StartControllerAsync();
        StartAgent();

        await Retry.UntilAsync(() => Runs().Length >= 2, "the check ran twice", TimeSpan.FromSeconds(30));
        var from = Runs()[^1];
        await Retry.UntilAsync(() => Runs().Length >= 2 + 8, "eight more runs", TimeSpan.FromSeconds(60));
        var runs = Runs().Where(r => r >= from).ToArray();
        AssertOncePerInterval(runs, (long)Interval.TotalMilliseconds);

        // Both members answer the same, wherever the result landed.
        foreach (var controller in _controllers)
            await Retry.UntilAsync(async () => (await CheckStatusAsync(controller)) == "OK", $"{controller.HttpAddress} shows tick OK");

        // A problem and a recovery: two hard changes, each handled once across the cluster.
        await File.WriteAllTextAsync(StateFile, "2");
        foreach (var controller in _controllers)
            await Retry.UntilAsync(async () => (await CheckStatusAsync(controller)) == "CRITICAL", $"{controller.HttpAddress} shows CRITICAL");
        await File.WriteAllTextAsync(StateFile, "0");
        foreach (var controller in _controllers)
            await Retry.UntilAsync(async () => (await CheckStatusAsync(controller)) == "OK", $"{controller.HttpAddress} shows OK again");
        await Retry.UntilAsync(() => Handled() >= 2, "both changes handled");
        // A few more intervals for any second run of a handler to show.
        var settled = Runs().Length;
        await Retry.UntilAsync(() => Runs().Length >= settled + 3, "three more runs");
        Assert.Equal(2, Handled());
        Assert.Contains("\"event\":\"problem\"", File.ReadAllText(HandlerLog));
        Assert.Contains("\"event\":\"recovery\"", File.ReadAllText(HandlerLog));

        // Membership: both listed, one leads, and only the leader exports the fleet's series.
        using var http = new HttpClient();
        var cluster = await http.GetFromJsonAsync<JsonElement>(new Uri(second.HttpAddress!, "/api/cluster"));
        var members = cluster.GetProperty("members").EnumerateArray().ToArray();
        Assert.Equal(2, members.Length);
        await Retry.UntilAsync(async () =>
        {
            var texts = await Task.WhenAll(_controllers.Select(c => http.GetStringAsync(new Uri(c.HttpAddress!, "/metrics"))));
            return texts.Count(t => t.Contains("narada_check_status{", StringComparison.Ordinal)) == 1
                && texts.All(t => t.Contains("narada_cluster_members 2", StringComparison.Ordinal));
        }, "exactly one member exporting check states, both counting two members");
    }

    [Fact]
    public async Task A_rollout_finishes_on_its_member_whichever_member_takes_the_agents_answers()
    {
        var first = await StartControllerAsync();
        await StartControllerAsync();
        StartAgent();
        await Retry.UntilAsync(() => _controllers.All(c => c.Hosts.TryGet("web01", out var h) && h.Status == Narada.Controller.Hosts.HostStatus.Up),
            "web01 up on both members");

        // Both members take narada.results, so some answers land on the member that is not waiting for them.
        for (int i = 0; i < 6; i++)
        {
            var events = new List<Rollouts.RolloutEvent>();
            await foreach (var e in first.Rollouts.RunAsync(new Rollouts.RolloutRequest("motd") { HostTimeout = TimeSpan.FromSeconds(20) }))
                events.Add(e);
            var host = Assert.Single(events, e => e.Event == Rollouts.RolloutEventKind.Host);
            Assert.True(host.Outcome is Core.Contracts.ApplyOutcome.Changed or Core.Contracts.ApplyOutcome.Unchanged, $"{host.Outcome}: {host.Message}");
        }
        Assert.True(File.Exists(Path.Combine(_dir, "applied", "motd")));
    }

    [Fact]
    public async Task A_rollout_whose_member_dies_is_finished_by_another_without_applying_a_host_twice()
    {
        var first = await StartControllerAsync();
        var second = await StartControllerAsync();
        foreach (var host in new[] { "web01", "web02", "web03" })
            StartAgent(host);
        await Retry.UntilAsync(() => _controllers.All(c => c.Hosts.All.Count(h => h.Status == Narada.Controller.Hosts.HostStatus.Up) == 3),
            "three hosts up on both members");

        using var dies = new CancellationTokenSource();
        var started = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = Task.Run(async () =>
        {
            await foreach (var e in first.Rollouts.RunAsync(new Rollouts.RolloutRequest("spread") { HostTimeout = TimeSpan.FromSeconds(20) }, dies.Token))
                if (e.Event == Rollouts.RolloutEventKind.Host)
                    started.TrySetResult(e.RolloutId);
        });
        var id = await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // The first batch is done and the rollout pauses before the next: the member dies there.
        await dies.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        await first.DisposeAsync();
        _controllers.Remove(first);

        await Retry.UntilAsync(() => second.History.RecentRollouts(10).Any(r => r.Id == id && r.Status == Rollouts.RolloutStatus.Finished),
            "the other member finishes the rollout", TimeSpan.FromSeconds(60));
        var outcomes = second.History.RolloutHosts(id);
        Assert.Equal(["web01", "web02", "web03"], outcomes.Select(o => o.Host).Order());
        Assert.All(outcomes, o => Assert.False(o.Outcome.IsFailure(), o.Message));
    }

    /// <summary>
    /// As many runs as intervals passed (one more or less at the edges), none closer than a quarter interval (two
    /// members running one interval) and none further apart than two intervals plus a second of slack for a loaded
    /// machine's process start.
    /// </summary>
    internal static void AssertOncePerInterval(long[] runs, long intervalMs)
    {
        var gaps = runs.Zip(runs.Skip(1), (a, b) => b - a).ToArray();
        Assert.All(gaps, gap => Assert.InRange(gap, intervalMs / 4, intervalMs * 2 + 1000));
        long intervals = (runs[^1] - runs[0] + intervalMs / 2) / intervalMs;
        Assert.InRange(runs.Length - 1, intervals - 1, intervals + 1);
    }

    private int Handled() => File.Exists(HandlerLog) ? CountOf(File.ReadAllText(HandlerLog), "\"event\":") : 0;

    private static int CountOf(string text, string what)
    {
        int n = 0;
        for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
            n++;
        return n;
    }

    private static async Task<string?> CheckStatusAsync(NaradaController controller)
    {
        using var http = new HttpClient();
        var checks = await http.GetFromJsonAsync<JsonElement>(new Uri(controller.HttpAddress!, "/api/checks?check=tick&host=web01"));
        return checks.GetArrayLength() == 1 ? checks[0].GetProperty("status").GetString() : null;
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var (agent, run) in _agents)
        {
            try
            {
                await run;
            }
            catch (OperationCanceledException)
            {
            }
            await agent.DisposeAsync();
        }
        foreach (var controller in _controllers)
            await controller.DisposeAsync();
        await _gearmand.DisposeAsync();
        _stop.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
