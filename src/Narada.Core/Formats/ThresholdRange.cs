using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Narada.Core.Formats;

/// <summary>
/// A Nagios threshold range <c>[@]start:end</c> (plugin guidelines, "Threshold and ranges"): <c>10</c> means 0..10,
/// <c>10:</c> means 10..∞, <c>~:10</c> means −∞..10, <c>@</c> alerts inside the range instead of outside it.
/// Both ends are inclusive.
/// </summary>
public sealed record ThresholdRange(double Start, double End, bool Inside)
{
    /// <summary>True when <paramref name="value"/> should raise the alert this range belongs to.</summary>
    public bool Alerts(double value)
    {
        var within = value >= Start && value <= End;
        return Inside ? within : !within;
    }

    /// <summary>The same range with both ends multiplied (unit conversion); infinities stay infinite.</summary>
    public ThresholdRange Scale(double factor) => this with { Start = Start * factor, End = End * factor };

    /// <summary>Reads a range; false for anything the guidelines do not allow, including start &gt; end.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ThresholdRange? range)
    {
        range = null;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var s = text.AsSpan().Trim();
        var inside = s[0] == '@';
        if (inside)
            s = s[1..];
        double start, end;
        var colon = s.IndexOf(':');
        if (colon < 0)
        {
            start = 0;
            if (!TryNumber(s, out end))
                return false;
        }
        else
        {
            var left = s[..colon];
            var right = s[(colon + 1)..];
            if (left is "~")
                start = double.NegativeInfinity;
            else if (left.IsEmpty)
                start = 0;
            else if (!TryNumber(left, out start))
                return false;
            if (right.IsEmpty)
                end = double.PositiveInfinity;
            else if (!TryNumber(right, out end))
                return false;
        }
        if (start > end)
            return false;
        range = new ThresholdRange(start, end, inside);
        return true;
    }

    /// <summary>Reads a range or throws <see cref="FormatException"/> naming the text.</summary>
    public static ThresholdRange Parse(string text) =>
        TryParse(text, out var range) ? range : throw new FormatException($"'{text}' is not a threshold range [@]start:end");

    /// <summary>The canonical text form, which <see cref="TryParse"/> reads back to an equal range.</summary>
    public override string ToString()
    {
        var prefix = Inside ? "@" : "";
        var end = double.IsPositiveInfinity(End) ? "" : Format(End);
        if (Start == 0 && !double.IsPositiveInfinity(End))
            return prefix + end;
        var start = double.IsNegativeInfinity(Start) ? "~" : Format(Start);
        return $"{prefix}{start}:{end}";
    }

    private static string Format(double d) => d.ToString("R", CultureInfo.InvariantCulture);

    // Plain decimal numbers only: the guidelines restrict values to [-0-9.], and "Infinity"/"NaN" would be nonsense.
    private static bool TryNumber(ReadOnlySpan<char> s, out double value)
    {
        value = 0;
        if (s.IsEmpty)
            return false;
        foreach (var c in s)
            if (!(char.IsAsciiDigit(c) || c is '-' or '+' or '.' or 'e' or 'E'))
                return false;
        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }
}
