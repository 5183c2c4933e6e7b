using Narada.Chaos.Scenarios;

namespace Narada.Chaos.Tests;

/// <summary>The short <c>network</c>: cut, delayed and black-holed links between the fleet and its job server lose no
/// accepted result, and work flows again once the link is back.</summary>
[Trait("Category", "Peers")]
[Collection("chaos")]
public sealed class NetworkFaultTests
{
    [Fact]
    public async Task A_bad_link_loses_no_accepted_result_and_work_resumes_when_it_heals()
    {
        var f = await NetworkFault.RunAsync(NetworkFault.Options.Short);

        Assert.True(f.PassiveAcknowledged > 0 && f.ActiveRuns > 0, "no load");
        Assert.True(f.PassiveLost == 0, $"{f.PassiveLost} passive results lost, e.g. {string.Join(", ", f.LostSample)}");
        foreach (var fault in f.Faults)
        {
            Assert.True(fault.Unrecovered == 0, $"{fault.Fault}: not recovered");
            Assert.True(fault.Intake.Max < Bounds.RecoveryMs, $"{fault.Fault}: results taken in again only after {fault.Intake}");
            Assert.True(fault.Dispatch.Count == fault.Rounds && fault.Dispatch.Max < Bounds.RecoveryMs,
                $"{fault.Fault}: checks ran again only after {fault.Dispatch}");
        }
        Assert.Equal(0, f.LeftoverProcesses);
    }
}
