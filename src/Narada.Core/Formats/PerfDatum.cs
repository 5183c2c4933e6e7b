using Narada.Core.Metrics;

namespace Narada.Core.Formats;

/// <summary>
/// One Nagios performance data item <c>'label'=value[UOM];warn;crit;min;max</c>, as the plugin printed it.
/// A null <see cref="Value"/> is the guidelines' <c>U</c> (the plugin could not determine it).
/// </summary>
public sealed record PerfDatum(string Label, double? Value, string Uom)
{
    public ThresholdRange? Warning { get; init; }

    public ThresholdRange? Critical { get; init; }

    public double? Min { get; init; }

    public double? Max { get; init; }

    /// <summary>The unit this item converts to; <see cref="BaseUnit.None"/> for plain numbers and unknown UOMs.</summary>
    public BaseUnit BaseUnit => PerfUnit.TryGetScale(Uom, out _, out var unit) ? unit : BaseUnit.None;

    /// <summary>
    /// The same item in base units: ms/us → s, KB..TB → B (1024-based, see <see cref="PerfUnit"/>), thresholds, min
    /// and max scaled alike. Percent stays percent here, because perfdata has no ratio unit; an unknown UOM is kept
    /// unchanged.
    /// </summary>
    public PerfDatum ToBaseUnits()
    {
        if (!PerfUnit.TryGetScale(Uom, out var factor, out var unit))
            return this;
        return this with
        {
            Value = Value * factor,
            Uom = PerfUnit.Symbol(unit),
            Warning = Warning?.Scale(factor),
            Critical = Critical?.Scale(factor),
            Min = Min * factor,
            Max = Max * factor,
        };
    }

    /// <summary>
    /// The value as a Prometheus sample named <c>&lt;check&gt;_&lt;label&gt;</c> plus a unit suffix (<c>_seconds</c>,
    /// <c>_bytes</c>, <c>_ratio</c> with percent divided by 100, <c>_total</c> for counters), with the original label
    /// kept as the <c>label</c> label so items whose names sanitise alike stay apart. Null for <c>U</c>.
    /// </summary>
    public Sample? ToSample(string checkName)
    {
        var based = ToBaseUnits();
        if (based.Value is not { } value)
            return null;
        var unit = BaseUnit;
        var (suffix, type) = unit switch
        {
            BaseUnit.Seconds => ("seconds", MetricType.Gauge),
            BaseUnit.Bytes => ("bytes", MetricType.Gauge),
            BaseUnit.Percent => ("ratio", MetricType.Gauge),
            BaseUnit.Counter => ("total", MetricType.Counter),
            _ => ("", MetricType.Gauge),
        };
        var name = MetricName.Join(checkName, Label);
        if (suffix.Length > 0 && !name.EndsWith("_" + suffix, StringComparison.Ordinal))
            name = name + "_" + suffix;
        return new Sample(name, unit == BaseUnit.Percent ? value / 100 : value)
        {
            Type = type,
            Labels = new Dictionary<string, string> { ["label"] = Label },
        };
    }
}
