using System.Globalization;

using Narada.Core.Contracts;
using Narada.Core.Yaml;

namespace Narada.Core.Definitions;

/// <summary>One field of a Unix cron expression, parsed to the set of values it allows.</summary>
internal sealed class CronField
{
    private readonly bool[] _allowed;

    private CronField(string name, int min, int max, bool[] allowed)
    {
        Name = name;
        Min = min;
        Max = max;
        _allowed = allowed;
    }

    public string Name { get; }

    public int Min { get; }

    public int Max { get; }

    public bool IsFull => Values.Count() == Max - Min + 1;

    public IEnumerable<int> Values => Enumerable.Range(Min, Max - Min + 1).Where(Allows);

    public bool Allows(int value) => value >= Min && value <= Max && _allowed[value - Min];

    /// <summary>
    /// Parses "*", "a", "a-b", "*/n", "a-b/n", "a/n" and comma lists of them. <paramref name="names"/> maps
    /// JAN or MON to numbers; <paramref name="sevenIsZero"/> folds day-of-week 7 onto Sunday (0).
    /// </summary>
    public static CronField? TryParse(
        string text, string name, int min, int max, IReadOnlyList<string>? names, int namesStart, bool sevenIsZero,
        out string error)
    {
        error = "";
        var parseMax = sevenIsZero ? 7 : max;
        var allowed = new bool[max - min + 1];
        foreach (var item in text.Split(','))
        {
            var slash = item.IndexOf('/', StringComparison.Ordinal);
            var rangeText = slash < 0 ? item : item[..slash];
            var step = 1;
            if (slash >= 0 && (!int.TryParse(item[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1))
            {
                error = $"{name} field '{text}': step '{item[(slash + 1)..]}' must be a positive number";
                return null;
            }

            int low, high;
            if (rangeText == "*")
            {
                (low, high) = (min, parseMax);
            }
            else
            {
                var dash = rangeText.IndexOf('-', StringComparison.Ordinal);
                var lowText = dash < 0 ? rangeText : rangeText[..dash];
                if (!TryValue(lowText, min, parseMax, names, namesStart, out low))
                {
                    error = $"{name} field '{text}': '{lowText}' is not a value in {min}-{parseMax}{NameHint(names)}";
                    return null;
                }

                high = low;
                if (dash >= 0)
                {
                    var highText = rangeText[(dash + 1)..];
                    if (!TryValue(highText, min, parseMax, names, namesStart, out high))
                    {
                        error = $"{name} field '{text}': '{highText}' is not a value in {min}-{parseMax}{NameHint(names)}";
                        return null;
                    }

                    if (high < low)
                    {
                        error = $"{name} field '{text}': range '{rangeText}' runs backwards";
                        return null;
                    }
                }
                else if (slash >= 0)
                {
                    // Vixie cron: "a/n" means from a to the end of the field, every n.
                    high = parseMax;
                }
            }

            for (var value = low; value <= high; value += step)
            {
                var folded = sevenIsZero && value == 7 ? 0 : value;
                allowed[folded - min] = true;
            }
        }

        return new CronField(name, min, max, allowed);
    }

    private static bool TryValue(string text, int min, int max, IReadOnlyList<string>? names, int namesStart, out int value)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            return value >= min && value <= max;
        }

        if (names is not null)
        {
            for (var i = 0; i < names.Count; i++)
            {
                if (string.Equals(names[i], text, StringComparison.OrdinalIgnoreCase))
                {
                    value = namesStart + i;
                    return true;
                }
            }
        }

        return false;
    }

    private static string NameHint(IReadOnlyList<string>? names) =>
        names is null ? "" : $" or {names[0]}-{names[^1]}";
}
