using Narada.Core.Metrics;

namespace Narada.Agent.Tests.SystemPlugin;

/// <summary>Finds samples by name and labels in a collection result.</summary>
internal static class SampleQueries
{
    public static Sample One(this IReadOnlyList<Sample> samples, string name, params (string Name, string Value)[] labels)
    {
        var matches = samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value)).ToList();
        Assert.True(matches.Count == 1,
            $"expected one {name}{{{string.Join(",", labels.Select(l => $"{l.Name}={l.Value}"))}}}, found {matches.Count}");
        return matches[0];
    }

    public static double Value(this IReadOnlyList<Sample> samples, string name, params (string Name, string Value)[] labels) =>
        samples.One(name, labels).Value;

    public static IEnumerable<Sample> Named(this IReadOnlyList<Sample> samples, string name) => samples.Where(s => s.Name == name);

    public static string Label(this Sample sample, string name) => sample.Labels[name];

    /// <summary>Name plus sorted labels: one series, as Prometheus identifies it.</summary>
    public static string SeriesKey(this Sample sample) =>
        sample.Name + "{" + string.Join(",", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")) + "}";
}
