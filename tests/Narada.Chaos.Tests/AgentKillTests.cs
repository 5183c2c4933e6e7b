using Narada.Chaos.Scenarios;

namespace Narada.Chaos.Tests;

/// <summary>The short <c>agent-kill</c>: an agent killed mid-job loses no delivered result and its host's checks run again.</summary>
[Trait("Category", "Peers")]
[Collection("chaos")]
public sealed class AgentKillTests
{
    [Fact]
    public async Task An_agent_killed_mid_job_loses_no_result_and_runs_its_checks_again()
    {
        var f = await AgentKill.RunAsync(AgentKill.Options.Short);

        Assert.True(f.Runs > 0, "no plugin ran");
        Assert.True(f.ResultsLost == 0, $"{f.ResultsLost} results lost, e.g. {string.Join(", ", f.LostSample)}");
        Assert.Equal(0, f.Unrecovered);
        Assert.True(f.Recovery.Max < Bounds.RecoveryMs, $"the host's checks ran again only after {f.Recovery}");
        Assert.Equal(0, f.LeftoverProcesses);
    }
}
