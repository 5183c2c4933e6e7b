namespace Narada.Core.Metrics;

/// <summary>How a sample behaves over time, as Prometheus types it.</summary>
public enum MetricType
{
    Untyped,
    Gauge,
    Counter,
}

/// <summary>One measured value with its metric name and labels, in base units (seconds, bytes, ratios).</summary>
public sealed record Sample(string Name, double Value)
{
    private static readonly Dictionary<string, string> NoLabels = [];

    /// <summary>Label names and values; empty when the sample has none.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = NoLabels;

    public MetricType Type { get; init; } = MetricType.Gauge;

    /// <summary>One line saying what the metric measures, for the HELP line.</summary>
    public string? Help { get; init; }

    /// <summary>Milliseconds since the Unix epoch when the source gave a time; null means "now".</summary>
    public long? TimestampMs { get; init; }
}
