using Narada.Agent;
using Narada.Agent.Configuration;
using Narada.Core.Formats;
using Narada.Gearman.Transport;
using Narada.Testing;

namespace Narada.Controller.Tests.EndToEnd;

/// <summary>Two stock gearmand servers, agents connected to both, a round-robin pool; one server dies mid-run.</summary>
public sealed class MultiServerTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("narada-multi-").FullName;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(NaradaAgent Agent, Task Run)> _agents = [];
    private GearmandServer _first = null!;
    private GearmandServer _second = null!;
    private NaradaController _controller = null!;

    public async Task InitializeAsync()
    {
        _first = await GearmandServer.StartAsync();
        _second = await GearmandServer.StartAsync();
        var config = Directory.CreateDirectory(Path.Combine(_dir, "config")).FullName;
        File.WriteAllText(Path.Combine(config, "checks.yaml"), """
            kind: Check
            name: pooled
            plugin: nagios.check_dummy
            params: { state: "0", text: "any worker of the pool" }
            every: 1s
            targets: { tags: [pool], round_robin: true }
            ---
            kind: Check
            name: each
            plugin: nagios.check_dummy
            params: { state: "0", text: "on every host" }
            every: 1s
            targets: { tags: [pool] }
            """);
        ServerAddress[] servers = [new(_first.Host, _first.Port), new(_second.Host, _second.Port)];
        _controller = new NaradaController(new ControllerOptions
        {
            ConfigDirectory = config,
            DataDirectory = Path.Combine(_dir, "data"),
            Servers = servers,
            HttpListen = null,
            MaxSplay = TimeSpan.FromMilliseconds(100),
        });
        await _controller.StartAsync();
        foreach (var host in new[] { "p1", "p2" })
        {
            var agent = new NaradaAgent(new AgentConfig
            {
                Name = host,
                Tags = ["pool"],
                Servers = servers,
                PluginDirs = [RepoPaths.Plugins],
                HeartbeatInterval = TimeSpan.FromMilliseconds(300),
            });
            _agents.Add((agent, agent.RunAsync(_stop.Token)));
        }
    }

    private int ResultsFor(string check, string host) =>
        _controller.History.RecentResults(check, host, 1000).Count;

    [Fact]
    public async Task Round_robin_and_per_host_checks_run_across_two_servers_and_survive_one_dying()
    {
        await Retry.UntilAsync(() => _controller.Checks.TryGet("each", "p1", out _) && _controller.Checks.TryGet("each", "p2", out _),
            "per-host results from both agents", TimeSpan.FromSeconds(20));
        // A round-robin result is recorded under the host that happened to run it.
        await Retry.UntilAsync(() => _controller.Checks.All.Any(e => e.State.Check == "pooled"), "a pooled result", TimeSpan.FromSeconds(20));

        await _first.DisposeAsync();
        await _controller.History.FlushAsync();
        int before = ResultsFor("each", "p1") + ResultsFor("each", "p2");
        await Retry.UntilAsync(async () =>
        {
            await _controller.History.FlushAsync();
            return ResultsFor("each", "p1") + ResultsFor("each", "p2") >= before + 4;
        }, "results to keep coming through the surviving server", TimeSpan.FromSeconds(20));
        // Every check, per host and pooled, is OK again through the survivor (on a loaded machine a 1 s check may
        // briefly go stale while the agents move over; what matters is that none stays that way).
        await Retry.UntilAsync(() => _controller.Checks.All.All(e => e.State.Status == CheckStatus.Ok),
            "every check to be OK through the surviving server", TimeSpan.FromSeconds(15));
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var (agent, run) in _agents)
        {
            await run;
            await agent.DisposeAsync();
        }
        await _controller.DisposeAsync();
        await _second.DisposeAsync();
        await _first.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
