using Narada.Chaos.Processes;
using Narada.Chaos.Scenarios;

namespace Narada.Chaos.Tests;

/// <summary>The short <c>jobserver-kill</c>: every acknowledged background job runs across kill -9 of the job server.</summary>
[Trait("Category", "Peers")]
[Collection("chaos")]
public sealed class JobServerKillTests
{
    [Fact]
    public async Task No_acknowledged_job_is_lost_when_the_job_server_is_killed()
    {
        var f = await JobServerKill.RunAsync(JobServerUnderTest.Narada, JobServerKill.Options.Short);

        Assert.True(f.Acknowledged > 0, "nothing was acknowledged");
        Assert.True(f.Lost == 0, $"{f.Lost} of {f.Acknowledged} acknowledged jobs never ran, e.g. {string.Join(", ", f.LostSample)}");
        Assert.Equal(0, f.Unrecovered);
        Assert.Equal(f.Rounds, f.FirstExecuted.Count);
        Assert.True(f.FirstExecuted.Max < Bounds.RecoveryMs, $"recovery took {f.FirstExecuted}");
        Assert.Equal(0, f.LeftoverProcesses);
    }
}
