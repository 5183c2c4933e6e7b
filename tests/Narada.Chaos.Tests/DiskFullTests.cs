using Narada.Chaos.Scenarios;

namespace Narada.Chaos.Tests;

/// <summary>The short <c>disk-full</c>: a job server whose queue's disk fills refuses what it cannot store, loses nothing
/// it acknowledged, and takes jobs again once there is space. Mounts a tmpfs, so it runs as root, as CI does.</summary>
[Trait("Category", "Peers")]
[Collection("chaos")]
public sealed class DiskFullTests
{
    [Fact]
    public async Task A_full_disk_under_the_queue_loses_no_acknowledged_job()
    {
        var f = await DiskFull.RunAsync(DiskFull.Options.Short);

        Assert.False(f.Crashed, $"the job server exited by itself:\n{f.CrashOutput}");
        Assert.True(f.Acknowledged > 0, "nothing was acknowledged");
        Assert.True(f.Lost == 0, $"{f.Lost} of {f.Acknowledged} acknowledged jobs never ran, e.g. {string.Join(", ", f.LostSample)}");
        Assert.Equal(0, f.Unrecovered);
        Assert.True(f.Recovery.Max < Bounds.RecoveryMs, $"took jobs again only after {f.Recovery}");
    }
}
