using Narada.Core.Definitions;
using Narada.Testing;
using YamlDotNet.RepresentationModel;

namespace Narada.Core.Tests.Definitions;

/// <summary>The shipped config/ that <c>narada up</c> runs must load cleanly and point at things that exist.</summary>
[Trait("Category", "Peers")]
public sealed class DefaultConfigTests
{
    private static string ConfigDirectoryOfRepo() => Path.Combine(RepoRoot(), "config");

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Narada.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Narada.sln above {AppContext.BaseDirectory}");
    }

    private static DefinitionSet LoadShipped()
    {
        var result = DefinitionLoader.Load(ConfigDirectoryOfRepo());
        Assert.True(result.Errors.Count == 0, string.Join("\n", result.Errors));
        return result.Set!;
    }

    [Fact]
    public void Shipped_config_loads_without_errors_and_has_the_default_definitions()
    {
        var set = LoadShipped();
        var node = set.Collectors["node"];
        Assert.Equal("system.node", node.Plugin);
        Assert.Equal(TimeSpan.FromSeconds(15), node.Schedule.Every);
        Assert.Equal(["linux"], node.Targets.Tags);

        Assert.Equal(["disk-root", "load", "procs"], set.Checks.Keys.Order());
        Assert.Equal("nagios.check_disk", set.Checks["disk-root"].Plugin);
        Assert.Equal("nagios.check_load", set.Checks["load"].Plugin);
        Assert.Equal("nagios.check_procs", set.Checks["procs"].Plugin);
        Assert.All(set.Checks.Values, check => Assert.Equal(["log-alert"], check.Handlers));
        Assert.All(set.Checks.Values, check => Assert.True(check.Targets.Matches("any-host", new HashSet<string> { "linux" })));

        Assert.Equal(["/usr/bin/logger", "-t", "narada"], set.Handlers["log-alert"].Exec);
        var motd = Assert.Single(set.Applies.Values);
        Assert.Equal("/etc/motd", Assert.Single(motd.Files).Path);
    }

    [Fact]
    public void Shipped_definitions_refer_to_programs_and_templates_that_exist()
    {
        var set = LoadShipped();
        foreach (var check in set.Checks.Values.Where(c => c.PluginName == "nagios"))
        {
            RequiredTool.Path(check.Command, "monitoring-plugins-basic");
        }

        Assert.True(File.Exists(set.Handlers["log-alert"].Exec![0]), "logger is missing");
        var template = File.ReadAllText(Path.Combine(set.Directory, set.Applies["motd"].Files[0].Template!));
        Assert.Contains("{{ host.name }}", template, StringComparison.Ordinal);
        Assert.Contains("{{ facts.os }}", template, StringComparison.Ordinal);
    }

    [Fact]
    public void Shipped_checks_only_pass_parameters_their_manifest_declares()
    {
        var set = LoadShipped();
        foreach (var check in set.Checks.Values)
        {
            var manifestPath = Path.Combine(RepoRoot(), "plugins", check.PluginName, "plugin.yaml");
            Assert.True(File.Exists(manifestPath), $"{check.Name}: no manifest {manifestPath}");
            var stream = new YamlStream();
            stream.Load(new StringReader(File.ReadAllText(manifestPath)));
            var commands = (YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode)["commands"];
            Assert.True(commands.Children.ContainsKey(check.Command), $"{check.Plugin} is not in {manifestPath}");
            var declared = ((YamlMappingNode)((YamlMappingNode)commands[check.Command])["params"]).Children.Keys
                .Select(k => ((YamlScalarNode)k).Value).ToHashSet();
            Assert.All(check.Params.Keys, name => Assert.True(declared.Contains(name), $"{check.Name}: '{name}' is not a parameter of {check.Plugin}"));
        }
    }
}
