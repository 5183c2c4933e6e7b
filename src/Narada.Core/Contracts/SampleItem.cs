using Narada.Core.Metrics;

namespace Narada.Core.Contracts;

/// <summary>One metric sample on the wire, in base units; <c>type</c> is gauge, counter or untyped.</summary>
public sealed record SampleItem
{
    public required string Name { get; init; }

    /// <summary>May be NaN or ±Infinity, written as the JSON strings "NaN", "Infinity", "-Infinity".</summary>
    public required double Value { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; set; } = new Dictionary<string, string>();

    public string Type { get; set; } = "gauge";

    public string? Help { get; set; }

    public long? TimestampMs { get; set; }

    public static SampleItem From(Sample sample) => new()
    {
        Name = sample.Name,
        Value = sample.Value,
        Labels = sample.Labels,
        Type = sample.Type switch
        {
            MetricType.Counter => "counter",
            MetricType.Untyped => "untyped",
            _ => "gauge",
        },
        Help = sample.Help,
        TimestampMs = sample.TimestampMs,
    };

    /// <summary>Back to a <see cref="Sample"/>; an unknown type reads as untyped.</summary>
    public Sample ToSample() => new(Name, Value)
    {
        Labels = Labels,
        Type = Type switch
        {
            "gauge" => MetricType.Gauge,
            "counter" => MetricType.Counter,
            _ => MetricType.Untyped,
        },
        Help = Help,
        TimestampMs = TimestampMs,
    };
}
