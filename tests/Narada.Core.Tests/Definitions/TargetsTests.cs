using Narada.Core.Definitions;

namespace Narada.Core.Tests.Definitions;

public sealed class TargetsTests
{
    private static readonly HashSet<string> LinuxWeb = ["linux", "web"];
    private static readonly HashSet<string> LinuxOnly = ["linux"];

    [Fact]
    public void A_host_matches_when_it_carries_all_listed_tags()
    {
        var targets = new Targets([], ["linux", "web"], false);
        Assert.True(targets.Matches("web01", LinuxWeb));
        Assert.False(targets.Matches("db01", LinuxOnly));
    }

    [Fact]
    public void A_host_listed_by_name_matches_whatever_its_tags()
    {
        var targets = new Targets(["db01"], ["web"], false);
        Assert.True(targets.Matches("db01", new HashSet<string>()));
        Assert.False(targets.Matches("db02", LinuxOnly));
    }

    [Fact]
    public void Round_robin_names_the_pool_of_its_single_tag()
    {
        var targets = new Targets([], ["web"], true);
        Assert.Equal("web", targets.PoolTag);
        Assert.True(targets.Matches("web01", LinuxWeb));
        Assert.False(targets.Matches("db01", LinuxOnly));
        Assert.False(targets.CanNeverMatch);
    }

    [Fact]
    public void Targets_without_hosts_or_tags_can_never_match()
    {
        Assert.True(new Targets([], [], false).CanNeverMatch);
        Assert.True(new Targets([], ["a", "b"], true).CanNeverMatch);
        Assert.False(new Targets([], [], false).Matches("web01", LinuxWeb));
    }
}
