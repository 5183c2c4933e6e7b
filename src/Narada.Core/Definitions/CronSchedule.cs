using System.Globalization;
using System.Text;

using Narada.Core.Contracts;
using Narada.Core.Yaml;

namespace Narada.Core.Definitions;

/// <summary>A 5-field Unix cron expression (minute hour day-of-month month day-of-week) with an optional time zone.</summary>
public sealed class CronSchedule
{
    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
    private static readonly DateTime GapReference = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);

    private static readonly Dictionary<string, string> Macros = new(StringComparer.OrdinalIgnoreCase)
    {
        ["@yearly"] = "0 0 1 1 *",
        ["@annually"] = "0 0 1 1 *",
        ["@monthly"] = "0 0 1 * *",
        ["@weekly"] = "0 0 * * 0",
        ["@daily"] = "0 0 * * *",
        ["@midnight"] = "0 0 * * *",
        ["@hourly"] = "0 * * * *",
    };

    private readonly CronField _minute;
    private readonly CronField _hour;
    private readonly CronField _dayOfMonth;
    private readonly CronField _month;
    private readonly CronField _dayOfWeek;
    private readonly Lazy<TimeSpan> _longestGap;

    private CronSchedule(string expression, string? timeZoneId, TimeZoneInfo timeZone, CronField[] fields)
    {
        Expression = expression;
        TimeZoneId = timeZoneId;
        TimeZone = timeZone;
        (_minute, _hour, _dayOfMonth, _month, _dayOfWeek) = (fields[0], fields[1], fields[2], fields[3], fields[4]);
        _longestGap = new Lazy<TimeSpan>(ComputeLongestGap);
    }

    /// <summary>The expression as written.</summary>
    public string Expression { get; }

    /// <summary>The IANA (or system) time zone id as written; null means the controller's local time zone.</summary>
    public string? TimeZoneId { get; }

    public TimeZoneInfo TimeZone { get; }

    /// <summary>The longest wait between two consecutive firings: the nominal interval used for defaults such as a check's TTL.</summary>
    public TimeSpan LongestGap => _longestGap.Value;

    public static CronSchedule Parse(string expression, string? timeZoneId = null) =>
        TryParse(expression, timeZoneId, out var schedule, out var error) ? schedule : throw new FormatException(error);

    /// <summary>Parses an expression and resolves its time zone; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string? expression, string? timeZoneId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CronSchedule? schedule, out string error)
    {
        schedule = null;
        error = "";
        if (string.IsNullOrWhiteSpace(expression))
        {
            error = "empty cron expression; write 5 fields: minute hour day-of-month month day-of-week";
            return false;
        }

        var trimmed = expression.Trim();
        if (trimmed.StartsWith('@') && !Macros.TryGetValue(trimmed, out trimmed))
        {
            error = $"unknown cron macro '{expression.Trim()}' (known: {string.Join(", ", Macros.Keys)})";
            return false;
        }

        var parts = trimmed.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 5)
        {
            error = $"cron expression '{expression}' has {parts.Length} fields; Unix cron has 5: minute hour day-of-month month day-of-week";
            return false;
        }

        var fields = new CronField?[]
        {
            CronField.TryParse(parts[0], "minute", 0, 59, null, 0, false, out var e0),
            CronField.TryParse(parts[1], "hour", 0, 23, null, 0, false, out var e1),
            CronField.TryParse(parts[2], "day-of-month", 1, 31, null, 0, false, out var e2),
            CronField.TryParse(parts[3], "month", 1, 12, MonthNames, 1, false, out var e3),
            CronField.TryParse(parts[4], "day-of-week", 0, 6, DayNames, 0, true, out var e4),
        };
        var fieldError = new[] { e0, e1, e2, e3, e4 }.FirstOrDefault(e => e.Length > 0);
        if (fieldError is not null)
        {
            error = fieldError;
            return false;
        }

        var parsed = fields.Select(f => f!).ToArray();
        if (!parsed[2].IsFull && !parsed[4].IsFull)
        {
            // Unix cron ORs a restricted day-of-month with a restricted day-of-week; Quartz cannot express that.
            error = $"cron expression '{expression}' restricts both day-of-month and day-of-week; restrict only one (use * for the other)";
            return false;
        }

        var timeZone = TimeZoneInfo.Local;
        if (timeZoneId is not null && !TryFindTimeZone(timeZoneId, out timeZone))
        {
            error = $"unknown time zone '{timeZoneId}'";
            return false;
        }

        var candidate = new CronSchedule(expression, timeZoneId, timeZone, parsed);
        if (candidate.NextAfter(GapReference) is null)
        {
            error = $"cron expression '{expression}' never fires (no such date)";
            return false;
        }

        schedule = candidate;
        return true;
    }

    /// <summary>Resolves a time zone id the way the scheduler will, without throwing.</summary>
    public static bool TryFindTimeZone(string id, out TimeZoneInfo timeZone)
    {
        timeZone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id))
        {
            return false;
        }

        try
        {
            timeZone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// The same schedule as a Quartz.NET cron expression: a leading seconds field of 0, day-of-week numbered 1-7 from
    /// Sunday (written as names), and '?' in whichever day field is unrestricted.
    /// </summary>
    public string ToQuartz()
    {
        var dayOfMonth = _dayOfWeek.IsFull ? Compress(_dayOfMonth, null) : "?";
        var dayOfWeek = _dayOfWeek.IsFull ? "?" : Compress(_dayOfWeek, DayNames);
        return string.Join(' ', "0", Compress(_minute, null), Compress(_hour, null), dayOfMonth, Compress(_month, null), dayOfWeek);
    }

    /// <summary>The first firing strictly after <paramref name="wallClock"/>, in the schedule's own wall-clock time; null if none within 8 years.</summary>
    public DateTime? NextAfter(DateTime wallClock)
    {
        if (wallClock > DateTime.MaxValue.AddYears(-9))
        {
            return null;
        }

        var limit = wallClock.AddYears(8);
        var t = new DateTime(wallClock.Year, wallClock.Month, wallClock.Day, wallClock.Hour, wallClock.Minute, 0).AddMinutes(1);
        while (t <= limit)
        {
            if (!_month.Allows(t.Month))
            {
                t = new DateTime(t.Year, t.Month, 1).AddMonths(1);
            }
            else if (!_dayOfMonth.Allows(t.Day) || !_dayOfWeek.Allows((int)t.DayOfWeek))
            {
                t = t.Date.AddDays(1);
            }
            else if (!_hour.Allows(t.Hour))
            {
                t = t.Date.AddHours(t.Hour + 1);
            }
            else if (!_minute.Allows(t.Minute))
            {
                t = t.AddMinutes(1);
            }
            else
            {
                return t;
            }
        }

        return null;
    }

    public override string ToString() => TimeZoneId is null ? Expression : $"{Expression} ({TimeZoneId})";

    private TimeSpan ComputeLongestGap()
    {
        var longest = TimeSpan.Zero;
        var previous = NextAfter(GapReference);
        for (var i = 0; i < 64 && previous is { } from; i++)
        {
            var next = NextAfter(from);
            if (next is null)
            {
                break;
            }

            longest = next.Value - from > longest ? next.Value - from : longest;
            previous = next;
        }

        return longest == TimeSpan.Zero ? TimeSpan.FromDays(366) : longest;
    }

    // Emits the field's value set canonically: "*", "start/step" for a progression to the end, else runs "a-b" and singles.
    private static string Compress(CronField field, string[]? names)
    {
        if (field.IsFull)
        {
            return "*";
        }

        var values = field.Values.ToArray();
        if (names is null && values.Length >= 3)
        {
            var step = values[1] - values[0];
            var progression = step > 1 && values.Zip(values.Skip(1)).All(p => p.Second - p.First == step);
            if (progression && values[^1] + step > field.Max)
            {
                return $"{values[0].ToString(CultureInfo.InvariantCulture)}/{step.ToString(CultureInfo.InvariantCulture)}";
            }
        }

        string Write(int value) => names is null ? value.ToString(CultureInfo.InvariantCulture) : names[value];
        var builder = new StringBuilder();
        for (var i = 0; i < values.Length;)
        {
            var end = i;
            while (end + 1 < values.Length && values[end + 1] == values[end] + 1)
            {
                end++;
            }

            builder.Append(builder.Length == 0 ? "" : ",").Append(Write(values[i]));
            if (end > i)
            {
                builder.Append('-').Append(Write(values[end]));
            }

            i = end + 1;
        }

        return builder.ToString();
    }
}
