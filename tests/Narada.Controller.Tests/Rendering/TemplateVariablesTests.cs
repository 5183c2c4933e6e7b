using System.Text.Json;
using Narada.Controller.Rendering;

namespace Narada.Controller.Tests.Rendering;

public sealed class TemplateVariablesTests
{
    private static Dictionary<string, object?> Map(params (string Key, object? Value)[] entries) =>
        entries.ToDictionary(e => e.Key, e => e.Value);

    [Fact]
    public void Layers_take_precedence_defaults_then_groups_in_order_then_host_then_facts()
    {
        var variables = new TemplateVariables
        {
            HostName = "web01",
            Defaults = Map(("a", "default"), ("b", "default"), ("c", "default"), ("d", "default"), ("e", "default")),
            GroupVars = [Map(("b", "group1"), ("c", "group1"), ("d", "group1"), ("e", "group1")), Map(("c", "group2"), ("d", "group2"), ("e", "group2"))],
            HostVars = Map(("d", "host"), ("e", "host")),
            Facts = Map(("e", "fact")),
        };

        var merged = variables.Merged();

        Assert.Equal(["default", "group1", "group2", "host", "fact"], new[] { "a", "b", "c", "d", "e" }.Select(k => merged[k]));
    }

    [Fact]
    public void Nested_maps_merge_key_by_key_while_lists_and_scalars_replace()
    {
        var yamlStyle = new Dictionary<object, object?> { ["limits"] = new Dictionary<object, object?> { ["files"] = 1024 } };
        var variables = new TemplateVariables
        {
            HostName = "web01",
            Defaults = Map(("nginx", Map(("workers", 2), ("gzip", false), ("listen", new List<object?> { 80, 443 }), ("limits", Map(("files", 10), ("procs", 5)))))),
            HostVars = Map(("nginx", Map(("gzip", true), ("listen", new List<object?> { 8080 })))),
            Facts = Map(("nginx", yamlStyle)),
        };
        var before = JsonSerializer.Serialize(variables.Defaults);

        var nginx = (IReadOnlyDictionary<string, object?>)variables.Merged()["nginx"]!;

        Assert.Equal(2, nginx["workers"]);
        Assert.Equal(true, nginx["gzip"]);
        Assert.Equal(new List<object?> { 8080 }, nginx["listen"]);
        var limits = (IReadOnlyDictionary<string, object?>)nginx["limits"]!;
        Assert.Equal(1024, limits["files"]);
        Assert.Equal(5, limits["procs"]);
        Assert.Equal(before, JsonSerializer.Serialize(variables.Defaults));
    }

    [Fact]
    public void A_scalar_over_a_map_replaces_it_and_a_map_over_a_scalar_too()
    {
        var variables = new TemplateVariables
        {
            HostName = "h",
            Defaults = Map(("x", Map(("a", 1))), ("y", "flat")),
            HostVars = Map(("x", "flat"), ("y", Map(("b", 2)))),
        };

        var merged = variables.Merged();

        Assert.Equal("flat", merged["x"]);
        Assert.Equal(2, ((IReadOnlyDictionary<string, object?>)merged["y"]!)["b"]);
    }

    [Fact]
    public void Json_facts_become_plain_values()
    {
        using var facts = JsonDocument.Parse("""{"os": {"name": "debian", "version": 13, "load": 0.5, "virtual": false, "kernel": null}, "disks": ["sda", "sdb"]}""");
        var variables = new TemplateVariables { HostName = "h", Facts = Map(("host", facts.RootElement)) };

        var host = (IReadOnlyDictionary<string, object?>)variables.Merged()["host"]!;
        var os = (IReadOnlyDictionary<string, object?>)host["os"]!;

        Assert.Equal("debian", os["name"]);
        Assert.Equal(13L, os["version"]);
        Assert.Equal(0.5, os["load"]);
        Assert.Equal(false, os["virtual"]);
        Assert.Null(os["kernel"]);
        Assert.Equal(new List<object?> { "sda", "sdb" }, host["disks"]);
    }
}
