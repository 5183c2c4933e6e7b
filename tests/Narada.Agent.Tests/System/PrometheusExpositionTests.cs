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

        // promtool fails on a parse error; of its lint findings, only node_exporter's own names (kept on purpose) may remain.
        var findings = await Promtool.ProblemsAsync(Expose(samples));
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
