using CsCheck;
using Narada.Core.Definitions;

namespace Narada.Core.Tests.Definitions;

/// <summary>NextAfter agrees with a minute-by-minute scan over value sets the generator chose itself.</summary>
public sealed class CronSchedulePropertyTests
{
    private static readonly string[] DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    // A field is either unrestricted or an explicit set, written as a list, a range or a step so every syntax is used.
    private static Gen<(string Text, HashSet<int>? Set)> Field(int min, int max, string[]? names = null, int namesBase = 0) =>
        Gen.Frequency(
            (2, Gen.Const(("*", (HashSet<int>?)null))),
            (3, Gen.Int[min, max].Array[1, 4].Select(values =>
                (string.Join(',', values.Select(v => names is null ? v.ToString() : names[v - namesBase])), (HashSet<int>?)values.ToHashSet()))),
            (2, Gen.Select(Gen.Int[min, max], Gen.Int[0, 6], (low, width) =>
                ($"{low}-{Math.Min(max, low + width)}", (HashSet<int>?)Enumerable.Range(low, Math.Min(max, low + width) - low + 1).ToHashSet()))),
            (2, Gen.Int[2, 20].Select(step =>
                ($"*/{step}", (HashSet<int>?)Enumerable.Range(min, max - min + 1).Where(v => (v - min) % step == 0).ToHashSet()))));

    [Fact]
    public void Next_firing_matches_a_brute_force_scan()
    {
        var gen = Gen.Select(
            Field(0, 59), Field(0, 23), Field(1, 31), Field(1, 12), Field(0, 6, DayNames),
            Gen.Int[0, 365 * 24 * 60]);
        gen.Sample((minute, hour, dom, month, dow, offset) =>
        {
            if (dom.Set is not null && dow.Set is not null)
            {
                dow = ("*", null); // both restricted is refused; covered by the table tests
            }

            var expression = $"{minute.Text} {hour.Text} {dom.Text} {month.Text} {dow.Text}";
            bool Matches(DateTime t) =>
                (minute.Set?.Contains(t.Minute) ?? true) && (hour.Set?.Contains(t.Hour) ?? true)
                && (dom.Set?.Contains(t.Day) ?? true) && (month.Set?.Contains(t.Month) ?? true)
                && (dow.Set?.Contains((int)t.DayOfWeek) ?? true);

            if (!CronSchedule.TryParse(expression, null, out var cron, out var error))
            {
                Assert.Contains("never fires", error, StringComparison.Ordinal);
                return;
            }

            var start = new DateTime(2026, 1, 1).AddMinutes(offset);
            var next = cron.NextAfter(start);
            Assert.NotNull(next);
            var horizon = new[] { next.Value, start.AddDays(40) }.Min();
            var expected = (DateTime?)null;
            for (var t = start.AddMinutes(1); t <= horizon; t = t.AddMinutes(1))
            {
                if (Matches(t))
                {
                    expected = t;
                    break;
                }
            }

            if (expected is not null || next.Value <= start.AddDays(40))
            {
                Assert.Equal(expected, next);
            }

            Assert.True(Matches(next.Value), $"{expression}: {next} does not match");
        }, iter: 150, threads: 1);
    }
}
