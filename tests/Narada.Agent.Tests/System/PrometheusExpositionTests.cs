using System.Globalization;
using System.Text;
using Narada.Core.Metrics;
using Narada.Plugins.System;
using Narada.Testing;

namespace Narada.Agent.Tests.SystemPlugin;

/// <summary>The node collector's samples, written as Prometheus text, pass the real promtool's checks.</summary>
[Trait("Category", "Peers")]
public sealed class PrometheusExpositionTests
{
    [Fact]
    public async Task Promtool_parses_the_node_collection_and_lints_only_node_exporters_own_names()
    {
        var samples = await new SystemNodeCollector().CollectAsync();
        var result = await ExternalProcess.RunAsync(RequiredTool.Path("promtool", "prometheus"), ["check", "metrics"], Expose(samples));

        // promtool exits 1 on a parse error and 3 with lint findings (a counter without _total, a non-base unit...).
        // node_exporter's own memory, netstat and sockstat names (node_memory_MemTotal_bytes, node_netstat_Tcp_InSegs,
        // node_sockstat_TCP_inuse) draw a camelCase finding; nothing else may.
        Assert.True(result.ExitCode is 0 or 3, $"promtool: {result}");
        string[] camelCaseFamilies = ["node_memory_", "node_netstat_", "node_sockstat_"];
        // Its entropy names count bits (node_entropy_available_bits), which promtool would have in bytes.
        var findings = (result.Stdout + result.Stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !(camelCaseFamilies.Any(f => l.StartsWith(f, StringComparison.Ordinal)) && l.EndsWith("not 'camelCase'", StringComparison.Ordinal)))
            .Where(l => !(l.StartsWith("node_entropy_", StringComparison.Ordinal) && l.EndsWith("instead of \"bits\"", StringComparison.Ordinal)))
            .ToList();
        Assert.True(findings.Count == 0, "promtool: " + string.Join("\n", findings));
    }

    /// <summary>Text format 0.0.4, written here so the test does not depend on the agent's own exporter.</summary>
    private static string Expose(IReadOnlyList<Sample> samples)
    {
        var text = new StringBuilder();
        foreach (var family in samples.GroupBy(s => s.Name))
        {
            var first = family.First();
            Assert.All(family, s => Assert.Equal(first.Type, s.Type));
            text.Append("# HELP ").Append(family.Key).Append(' ').Append(first.Help).Append('\n');
            text.Append("# TYPE ").Append(family.Key).Append(' ').Append(first.Type.ToString().ToLowerInvariant()).Append('\n');
            foreach (var sample in family)
            {
                text.Append(sample.Name);
                if (sample.Labels.Count > 0)
                    text.Append('{').AppendJoin(',', sample.Labels.Select(l => $"{l.Key}=\"{Escape(l.Value)}\"")).Append('}');
                text.Append(' ').Append(sample.Value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
            }
        }
        return text.ToString();
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
