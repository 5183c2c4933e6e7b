namespace Narada.Core.Formats;

/// <summary>What a Nagios plugin said: status from the exit code, first line, long output and performance data.</summary>
public sealed record NagiosOutput(CheckStatus Status, string Output, string LongOutput, IReadOnlyList<PerfDatum> PerfData)
{
    /// <summary>Why something was unusual: exit code out of range, perfdata items skipped, no output.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
