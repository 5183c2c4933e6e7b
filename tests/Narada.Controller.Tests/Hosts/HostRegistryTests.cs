using Narada.Controller.Hosts;

namespace Narada.Controller.Tests.Hosts;

public class HostRegistryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<string, object?> NoFacts = [];

    [Fact]
    public void A_host_appears_with_its_first_heartbeat_and_goes_down_after_three_silent_intervals()
    {
        var registry = new HostRegistry();
        var changes = new List<(string, HostStatus)>();
        registry.StatusChanged += h => changes.Add((h.Name, h.Status));

        registry.Heartbeat("web01", ["linux", "web"], ["nagios.check_disk"], NoFacts, "1.0", TimeSpan.FromSeconds(10), T0);
        Assert.Empty(registry.Sweep(T0.AddSeconds(30)));
        var down = Assert.Single(registry.Sweep(T0.AddSeconds(31)));
        Assert.Equal(HostStatus.Down, down.Status);

        registry.Heartbeat("web01", ["linux", "web"], [], NoFacts, "1.0", TimeSpan.FromSeconds(10), T0.AddSeconds(40));
        Assert.Equal([("web01", HostStatus.Up), ("web01", HostStatus.Down), ("web01", HostStatus.Up)], changes);
        Assert.True(registry.TryGet("web01", out var host));
        Assert.Contains("web", host.Tags);
    }

    private static HostRecord Beat(HostRegistry registry, string instance, int atSeconds) =>
        registry.Heartbeat("web01", ["linux"], [], NoFacts, "1.0", TimeSpan.FromSeconds(10), T0.AddSeconds(atSeconds), instance);

    [Fact]
    public void A_restarted_agent_is_no_conflict_but_two_agents_taking_turns_under_one_name_are_until_one_goes_quiet()
    {
        var registry = new HostRegistry();
        var found = new List<string>();
        registry.NameConflictFound += h => found.Add(string.Join(",", h.RecentInstances.Keys.Order()));

        // A restart: the new instance takes over and the old one never speaks again.
        Beat(registry, "a", 0);
        Beat(registry, "a", 10);
        Beat(registry, "b", 12);
        Assert.False(Beat(registry, "b", 22).NameConflict);

        Beat(registry, "b", 32);

        // A second agent under the same name: the instances take turns.
        Beat(registry, "c", 45);
        Assert.True(Beat(registry, "b", 52).NameConflict);
        Assert.True(Beat(registry, "c", 55).NameConflict);
        Assert.Equal(["b,c"], found); // once, when it starts; a, restarted away 40 s ago, is forgotten

        // c goes quiet (its machine was renamed): after as long as a silent host takes to go down, it is forgotten.
        Assert.True(Beat(registry, "b", 62).NameConflict);
        Assert.False(Beat(registry, "b", 86).NameConflict);
    }

    [Fact]
    public void Agents_that_send_no_instance_never_conflict()
    {
        var registry = new HostRegistry();
        Beat(registry, "", 0);
        Beat(registry, "a", 5);
        Beat(registry, "", 6);
        Assert.False(Beat(registry, "a", 7).NameConflict);
    }

    [Fact]
    public void A_declared_host_takes_its_tags_from_its_agent_once_it_speaks()
    {
        var registry = new HostRegistry();
        registry.Declare("db01", ["db"]);
        Assert.True(registry.TryGet("db01", out var declared));
        Assert.True(declared.DeclaredOnly);
        Assert.Equal(HostStatus.Down, declared.Status);

        registry.Heartbeat("db01", ["db", "linux"], [], NoFacts, null, TimeSpan.FromSeconds(5), T0);
        registry.Declare("db01", ["other"]);
        Assert.True(registry.TryGet("db01", out var live));
        Assert.Equal(["db", "linux"], live.Tags.Order());
    }
}
