using System.Globalization;
using System.Text;

namespace Narada.Core.Formats;

/// <summary>
/// Reads Nagios performance data: space-separated <c>'label'=value[UOM];warn;crit;min;max</c> items. Quoted labels may
/// hold spaces and <c>=</c>, <c>''</c> is a literal quote, trailing empty fields may be dropped, <c>U</c> is unknown.
/// A broken item is skipped with a note; nothing here throws on bad input.
/// </summary>
public static class PerfDataParser
{
    /// <summary>Parses <paramref name="text"/>; every item skipped or field dropped adds one line to <paramref name="notes"/>.</summary>
    public static List<PerfDatum> Parse(string text, ICollection<string> notes)
    {
        var items = new List<PerfDatum>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
                i++;
            if (i >= text.Length)
                return items;
            var itemStart = i;
            if (!TryReadLabel(text, ref i, out var label, out var problem))
            {
                SkipToWhitespace(text, ref i);
                notes.Add($"perfdata item '{Excerpt(text, itemStart, i)}' skipped: {problem}");
                continue;
            }
            var valueStart = i;
            SkipToWhitespace(text, ref i);
            var datum = ParseFields(label, text.AsSpan(valueStart, i - valueStart), notes);
            if (datum is null)
                notes.Add($"perfdata item '{Excerpt(text, itemStart, i)}' skipped: value is not a number, U or followed by a known unit");
            else
                items.Add(datum);
        }
    }

    // Leaves i just after the '=' on success.
    private static bool TryReadLabel(string text, ref int i, out string label, out string problem)
    {
        label = "";
        problem = "";
        var sb = new StringBuilder();
        if (text[i] == '\'')
        {
            i++;
            while (true)
            {
                if (i >= text.Length)
                {
                    problem = "the quoted label is not closed";
                    return false;
                }
                if (text[i] == '\'')
                {
                    if (i + 1 < text.Length && text[i + 1] == '\'')
                    {
                        sb.Append('\'');
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                sb.Append(text[i++]);
            }
            if (i >= text.Length || text[i] != '=')
            {
                problem = "no '=' after the quoted label";
                return false;
            }
        }
        else
        {
            while (i < text.Length && text[i] != '=' && !char.IsWhiteSpace(text[i]))
                sb.Append(text[i++]);
            if (i >= text.Length || text[i] != '=')
            {
                problem = "no '=' (labels with spaces need single quotes)";
                return false;
            }
        }
        i++;
        label = sb.ToString();
        if (label.Length == 0)
        {
            problem = "the label is empty";
            return false;
        }
        return true;
    }

    private static PerfDatum? ParseFields(string label, ReadOnlySpan<char> fieldsText, ICollection<string> notes)
    {
        var fields = fieldsText.ToString().Split(';');
        if (!TryParseValue(fields[0], out var value, out var uom))
            return null;
        if (uom.Length > 0 && !PerfUnit.TryGetScale(uom, out _, out _))
            notes.Add($"perfdata '{label}': unknown unit '{uom}' kept as is, not converted");
        if (fields.Length > 5)
            notes.Add($"perfdata '{label}': {fields.Length - 5} field(s) after max ignored");
        return new PerfDatum(label, value, uom)
        {
            Warning = Range(label, "warn", fields, 1, notes),
            Critical = Range(label, "crit", fields, 2, notes),
            Min = Number(label, "min", fields, 3, notes),
            Max = Number(label, "max", fields, 4, notes),
        };
    }

    private static bool TryParseValue(string field, out double? value, out string uom)
    {
        value = null;
        uom = "";
        if (field == "U")
            return true;
        var end = NumberLength(field);
        if (end == 0)
            return false;
        uom = field[end..];
        foreach (var c in uom)
            if (!(char.IsAsciiLetter(c) || c == '%'))
                return false;
        if (!double.TryParse(field.AsSpan(0, end), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
            return false;
        value = v;
        return true;
    }

    // Length of the leading decimal number: sign, digits, point, digits, and an exponent only when digits follow it.
    private static int NumberLength(string s)
    {
        var i = 0;
        if (i < s.Length && s[i] is '-' or '+')
            i++;
        var digits = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i])) { i++; digits++; }
        if (i < s.Length && s[i] == '.')
        {
            i++;
            while (i < s.Length && char.IsAsciiDigit(s[i])) { i++; digits++; }
        }
        if (digits == 0)
            return 0;
        if (i + 1 < s.Length && s[i] is 'e' or 'E')
        {
            var j = i + 1;
            if (s[j] is '-' or '+')
                j++;
            if (j < s.Length && char.IsAsciiDigit(s[j]))
            {
                while (j < s.Length && char.IsAsciiDigit(s[j]))
                    j++;
                i = j;
            }
        }
        return i;
    }

    private static ThresholdRange? Range(string label, string name, string[] fields, int index, ICollection<string> notes)
    {
        if (index >= fields.Length || fields[index].Length == 0)
            return null;
        if (ThresholdRange.TryParse(fields[index], out var range))
            return range;
        notes.Add($"perfdata '{label}': {name} '{fields[index]}' is not a range [@]start:end, ignored");
        return null;
    }

    private static double? Number(string label, string name, string[] fields, int index, ICollection<string> notes)
    {
        if (index >= fields.Length || fields[index].Length == 0)
            return null;
        var f = fields[index];
        if (NumberLength(f) == f.Length && double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v))
            return v;
        notes.Add($"perfdata '{label}': {name} '{f}' is not a number, ignored");
        return null;
    }

    private static void SkipToWhitespace(string text, ref int i)
    {
        while (i < text.Length && !char.IsWhiteSpace(text[i]))
            i++;
    }

    private static string Excerpt(string text, int start, int end)
    {
        var s = text[start..Math.Min(end, text.Length)];
        return s.Length > 60 ? s[..57] + "..." : s;
    }
}
