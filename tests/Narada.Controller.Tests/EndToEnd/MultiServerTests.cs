using Narada.Core.Formats;
using Narada.Testing;

namespace Narada.Controller.Tests.EndToEnd;

/// <summary>Two stock gearmand servers, agents connected to both, a round-robin pool; one server dies mid-run.</summary>
[Trait("Category", "Peers")]
public sealed class MultiServerTests : IAsyncLifetime
{
    private LiveFleet _fleet = null!;

    private NaradaController Controller => _fleet.Controller;

    public async Task InitializeAsync()
    {
        _fleet = await LiveFleet.StartAsync("""
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
            """, jobServers: 2);
        foreach (var host in new[] { "p1", "p2" })
            _fleet.AddAgent(host, ["pool"], TimeSpan.FromMilliseconds(300));
    }

    private int ResultsFor(string check, string host) =>
        Controller.History.RecentResults(check, host, 1000).Count;

    [Fact]
    public async Task Round_robin_and_per_host_checks_run_across_two_servers_and_survive_one_dying()
    {
        await Retry.UntilAsync(() => Controller.Checks.TryGet("each", "p1", out _) && Controller.Checks.TryGet("each", "p2", out _),
            "per-host results from both agents", TimeSpan.FromSeconds(20));
        // A round-robin result is recorded under the host that happened to run it.
        await Retry.UntilAsync(() => Controller.Checks.All.Any(e => e.State.Check == "pooled"), "a pooled result", TimeSpan.FromSeconds(20));

        await _fleet.StopJobServerAsync(0);
        await Controller.History.FlushAsync();
        int before = ResultsFor("each", "p1") + ResultsFor("each", "p2");
        await Retry.UntilAsync(async () =>
        {
            await Controller.History.FlushAsync();
            return ResultsFor("each", "p1") + ResultsFor("each", "p2") >= before + 4;
        }, "results to keep coming through the surviving server", TimeSpan.FromSeconds(20));
        // Every check, per host and pooled, is OK again through the survivor (on a loaded machine a 1 s check may
        // briefly go stale while the agents move over; what matters is that none stays that way).
        await Retry.UntilAsync(() => Controller.Checks.All.All(e => e.State.Status == CheckStatus.Ok),
            "every check to be OK through the surviving server", TimeSpan.FromSeconds(15));
    }

    public async Task DisposeAsync() => await _fleet.DisposeAsync();
}
