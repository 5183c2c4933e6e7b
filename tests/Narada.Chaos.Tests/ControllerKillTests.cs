using Narada.Chaos.Scenarios;

namespace Narada.Chaos.Tests;

/// <summary>The short <c>controller-kill</c>: every result the job server accepted reaches the store across kill -9 of the controller.</summary>
[Trait("Category", "Peers")]
[Collection("chaos")]
public sealed class ControllerKillTests
{
    [Fact]
    public async Task No_accepted_result_is_lost_when_the_controller_is_killed()
    {
        var f = await ControllerKill.RunAsync(ControllerKill.Options.Short);

        Assert.True(f.PassiveAcknowledged > 0 && f.ActiveRuns > 0, $"no load: {f}");
        Assert.True(f.PassiveLost == 0 && f.ActiveLost == 0,
            $"{f.PassiveLost} passive and {f.ActiveLost} active results lost, e.g. {string.Join(", ", f.LostSample)}");
        Assert.Equal(0, f.Unrecovered);
        Assert.True(f.Recovery.Max < Bounds.RecoveryMs, $"recovery took {f.Recovery}");
        Assert.Equal(0, f.LeftoverProcesses);
    }
}
