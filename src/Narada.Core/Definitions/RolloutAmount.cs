using System.Globalization;

using Narada.Core.Contracts;
using Narada.Core.Yaml;

namespace Narada.Core.Definitions;

/// <summary>A host count written either as a number ("5") or as a percentage of the targeted hosts ("25%").</summary>
public readonly record struct RolloutAmount(int Value, bool IsPercentage)
{
    public static RolloutAmount Count(int value) => new(value, false);

    public static RolloutAmount Percent(int value) => new(value, true);

    /// <summary>Parses "5" or "25%" (0-100); on failure <paramref name="reason"/> says why.</summary>
    public static bool TryParse(string? text, out RolloutAmount amount, out string reason)
    {
        amount = default;
        reason = $"'{text}' is not a number or a percentage (e.g. 5 or 25%)";
        var span = (text ?? "").AsSpan().Trim();
        var percent = span.EndsWith("%");
        if (percent)
        {
            span = span[..^1];
        }

        if (!int.TryParse(span, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        if (percent && value > 100)
        {
            reason = $"'{text}' is more than 100%";
            return false;
        }

        amount = new RolloutAmount(value, percent);
        return true;
    }

    /// <summary>The amount as a host count out of <paramref name="hosts"/>.</summary>
    public int Of(int hosts, bool roundUp)
    {
        if (!IsPercentage)
        {
            return Value;
        }

        var exact = (long)hosts * Value;
        return (int)(roundUp ? (exact + 99) / 100 : exact / 100);
    }

    public override string ToString() =>
        IsPercentage ? $"{Value.ToString(CultureInfo.InvariantCulture)}%" : Value.ToString(CultureInfo.InvariantCulture);
}
