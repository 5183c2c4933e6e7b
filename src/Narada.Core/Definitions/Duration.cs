using System.Globalization;
using System.Text;

using Narada.Core.Contracts;
using Narada.Core.Yaml;

namespace Narada.Core.Definitions;

/// <summary>
/// Parses and formats durations: numbers with units, one or several, "500ms", "10s", "1.5m", "1h30m", "1d" (Go's
/// time.ParseDuration grammar plus days). The one grammar for every duration Narada reads: definitions, the agent's
/// configuration and manifests, command-line options.
/// </summary>
public static class Duration
{
    /// <summary>Parses a duration; throws <see cref="FormatException"/> with the reason when the text is not one.</summary>
    public static TimeSpan Parse(string text) =>
        TryParse(text, out var value, out var reason) ? value : throw new FormatException(reason);

    public static bool TryParse(string? text, out TimeSpan value) => TryParse(text, out value, out _);

    /// <summary>Parses a duration; on failure <paramref name="reason"/> says what is wrong, for an error message.</summary>
    public static bool TryParse(string? text, out TimeSpan value, out string reason)
    {
        value = TimeSpan.Zero;
        reason = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            reason = "empty duration; write e.g. 10s, 5m, 1h30m";
            return false;
        }

        var span = text.AsSpan().Trim();
        long totalTicks = 0;
        var position = 0;
        while (position < span.Length)
        {
            var digitsStart = position;
            while (position < span.Length && (char.IsAsciiDigit(span[position]) || span[position] == '.'))
            {
                position++;
            }

            var number = span[digitsStart..position];
            if (number.IsEmpty)
            {
                reason = $"'{text}' is not a duration: expected a number at '{span[position..].ToString()}' (e.g. 10s, 5m, 1h30m)";
                return false;
            }

            if (number[0] == '.' || number[^1] == '.' || number.Count('.') > 1
                || !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                reason = $"'{text}' is not a duration: '{number.ToString()}' is not a number (e.g. 90s, 1.5m)";
                return false;
            }

            var unitStart = position;
            while (position < span.Length && char.IsAsciiLetter(span[position]))
            {
                position++;
            }

            var unit = span[unitStart..position];
            if (unit.IsEmpty)
            {
                reason = position < span.Length
                    ? $"'{text}' is not a duration: unexpected '{span[position]}' (numbers with units, e.g. 1500ms, 1m30s, 1.5m)"
                    : digitsStart == 0
                        ? $"'{text}' has no unit; write e.g. {text.Trim()}s (units: ms, s, m, h, d)"
                        : $"'{text}' is not a duration: the last number needs a unit (ms, s, m, h, d)";
                return false;
            }

            long? unitTicks = unit switch
            {
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                "h" => TimeSpan.TicksPerHour,
                "d" => TimeSpan.TicksPerDay,
                _ => null,
            };
            if (unitTicks is null)
            {
                reason = $"'{text}' has an unknown unit '{unit.ToString()}' (units: ms, s, m, h, d)";
                return false;
            }

            if (amount > long.MaxValue / unitTicks.Value || amount * unitTicks.Value > long.MaxValue - totalTicks)
            {
                reason = $"'{text}' is too large";
                return false;
            }

            totalTicks += (long)decimal.Round(amount * unitTicks.Value);
        }

        value = TimeSpan.FromTicks(totalTicks);
        return true;
    }

    /// <summary>Formats a duration the way it is written in YAML, e.g. 90 minutes as "1h30m".</summary>
    public static string Format(TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            return "0s";
        }

        var builder = new StringBuilder();
        Append(builder, value.Days, "d");
        Append(builder, value.Hours, "h");
        Append(builder, value.Minutes, "m");
        Append(builder, value.Seconds, "s");
        Append(builder, value.Milliseconds, "ms");
        return builder.Length == 0 ? "0s" : builder.ToString();
    }

    private static void Append(StringBuilder builder, int amount, string unit)
    {
        if (amount > 0)
        {
            builder.Append(amount.ToString(CultureInfo.InvariantCulture)).Append(unit);
        }
    }
}
