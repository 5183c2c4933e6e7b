using Narada.Core.Definitions;

namespace Narada.Core.Tests.Definitions;

public sealed class SeriesFilterTests
{
    [Fact]
    public void Drop_globs_match_whole_family_names_only()
    {
        var filter = SeriesFilter.Of(["node_softnet_*", "node_arp_entries", "node_*_bytes_total"]);
        Assert.True(filter.Drops("node_softnet_dropped_total"));
        Assert.True(filter.Drops("node_arp_entries"));
        Assert.True(filter.Drops("node_network_receive_bytes_total"));
        Assert.False(filter.Drops("node_arp_entries_x"));
        Assert.False(filter.Drops("xnode_softnet_dropped_total"));
        Assert.False(filter.Drops("node_load1"));
        Assert.False(SeriesFilter.None.Drops("anything"));
    }

    [Fact]
    public void A_drop_list_on_a_collector_is_read_and_a_bad_pattern_is_reported_where_it_is()
    {
        var set = ConfigDirectory.SetOf("kind: Collector\nname: node\nplugin: system.node\nevery: 15s\ntargets: { tags: [linux] }\ndrop: [\"node_softnet_*\"]\n");
        Assert.True(set.Collectors["node"].Drop.Drops("node_softnet_processed_total"));

        var errors = ConfigDirectory.ErrorsOf("kind: Collector\nname: node\nplugin: system.node\nevery: 15s\ntargets: { tags: [linux] }\ndrop: [\"node load\"]\n");
        Assert.Contains(errors, e => e.Line == 6 && e.Message.Contains("not a series name pattern", StringComparison.Ordinal));
    }
}
