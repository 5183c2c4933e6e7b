using Narada.Core.Formats;

namespace Narada.Core.Contracts;

/// <summary>One perfdata item on the wire, as the plugin printed it: thresholds as range text, units not converted.</summary>
public sealed record PerfDataItem
{
    public required string Label { get; init; }

    /// <summary>Null for the guidelines' <c>U</c> (unknown).</summary>
    public double? Value { get; set; }

    public string Uom { get; set; } = "";

    /// <summary>Range text <c>[@]start:end</c>, canonical form.</summary>
    public string? Warn { get; set; }

    public string? Crit { get; set; }

    public double? Min { get; set; }

    public double? Max { get; set; }

    public static PerfDataItem From(PerfDatum datum) => new()
    {
        Label = datum.Label,
        Value = datum.Value,
        Uom = datum.Uom,
        Warn = datum.Warning?.ToString(),
        Crit = datum.Critical?.ToString(),
        Min = datum.Min,
        Max = datum.Max,
    };

    /// <summary>Back to a <see cref="PerfDatum"/>; a threshold text that is not a range becomes null.</summary>
    public PerfDatum ToPerfDatum() => new(Label, Value, Uom)
    {
        Warning = ThresholdRange.TryParse(Warn, out var warning) ? warning : null,
        Critical = ThresholdRange.TryParse(Crit, out var critical) ? critical : null,
        Min = Min,
        Max = Max,
    };
}
