using Narada.Core.Metrics;

namespace Narada.Core.Formats;

/// <summary>Everything Narada reads out of one plugin run, whatever its output format.</summary>
public sealed record ParsedOutput(CheckStatus Status, string Output)
{
    public string LongOutput { get; init; } = "";

    /// <summary>Nagios performance data as printed (original units); empty for other formats.</summary>
    public IReadOnlyList<PerfDatum> PerfData { get; init; } = [];

    /// <summary>Metrics in base units: the perfdata converted, or the samples a metric format carried.</summary>
    public IReadOnlyList<Sample> Samples { get; init; } = [];

    /// <summary>What was odd about the output (skipped items, parse errors, unusual exit codes), for the operator.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
