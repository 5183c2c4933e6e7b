namespace Narada.Core.Formats;

/// <summary>Metric text that does not follow its format; names the line (1-based) where reading stopped.</summary>
public sealed class MetricFormatException : FormatException
{
    public MetricFormatException(string format, int lineNumber, string reason)
        : base($"{format} line {lineNumber}: {reason}")
    {
        Format = format;
        LineNumber = lineNumber;
        Reason = reason;
    }

    /// <summary>An error that has no line to point at (e.g. a JSON value of the wrong kind); <see cref="LineNumber"/> is 0.</summary>
    public MetricFormatException(string format, string reason)
        : base($"{format}: {reason}")
    {
        Format = format;
        Reason = reason;
    }

    /// <summary>The format being read, e.g. <c>prometheus</c>.</summary>
    public string Format { get; }

    /// <summary>1-based line of the error, 0 when the format gives no line.</summary>
    public int LineNumber { get; }

    public string Reason { get; }
}
