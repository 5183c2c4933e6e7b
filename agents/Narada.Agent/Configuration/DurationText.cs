using System.Globalization;

namespace Narada.Agent.Configuration;

/// <summary>Durations as written in YAML: a number and a unit, <c>500ms</c>, <c>10s</c>, <c>1.5m</c>, <c>2h</c>.</summary>
internal static class DurationText
{
    public const string Expected = "a duration such as 500ms, 10s, 5m or 1h";

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        var s = text.Trim();
        (string number, double unit) = s switch
        {
            _ when s.EndsWith("ms", StringComparison.Ordinal) => (s[..^2], 0.001),
            _ when s.EndsWith('s') => (s[..^1], 1.0),
            _ when s.EndsWith('m') => (s[..^1], 60.0),
            _ when s.EndsWith('h') => (s[..^1], 3600.0),
            _ => ("", 0.0),
        };
        if (number.Length == 0 || !char.IsAsciiDigit(number[0])
            || !double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value))
            return false;
        double seconds = value * unit;
        if (seconds > TimeSpan.FromDays(365).TotalSeconds)
            return false;
        duration = TimeSpan.FromSeconds(seconds);
        return true;
    }
}
