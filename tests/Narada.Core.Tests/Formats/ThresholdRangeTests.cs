using CsCheck;
using Narada.Core.Formats;

namespace Narada.Core.Tests.Formats;

public sealed class ThresholdRangeTests
{
    // The table from the Monitoring Plugins guidelines, "Threshold and ranges", with values either side of each end.
    [Theory]
    [InlineData("10", -1, true)]
    [InlineData("10", 0, false)]
    [InlineData("10", 10, false)]
    [InlineData("10", 10.5, true)]
    [InlineData("10:", 9.9, true)]
    [InlineData("10:", 1e12, false)]
    [InlineData("~:10", -1e12, false)]
    [InlineData("~:10", 11, true)]
    [InlineData("10:20", 9, true)]
    [InlineData("10:20", 15, false)]
    [InlineData("10:20", 21, true)]
    [InlineData("@10:20", 10, true)]
    [InlineData("@10:20", 20, true)]
    [InlineData("@10:20", 9.99, false)]
    [InlineData("@10:20", 20.01, false)]
    [InlineData("-5:-1", -3, false)]
    [InlineData("-5:-1", 0, true)]
    public void Alerts_as_the_guidelines_say(string text, double value, bool alerts)
    {
        Assert.Equal(alerts, ThresholdRange.Parse(text).Alerts(value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("20:10")]
    [InlineData("~")]
    [InlineData("1:2:3")]
    [InlineData("10%")]
    [InlineData("@")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    public void Invalid_ranges_are_refused(string text)
    {
        Assert.False(ThresholdRange.TryParse(text, out _));
        Assert.Throws<FormatException>(() => ThresholdRange.Parse(text));
    }

    [Theory]
    [InlineData("10", "10")]
    [InlineData("0:10", "10")]
    [InlineData("10:", "10:")]
    [InlineData("~:10", "~:10")]
    [InlineData("@10:20", "@10:20")]
    [InlineData("@5", "@5")]
    [InlineData("-1.5:", "-1.5:")]
    public void ToString_is_canonical(string text, string canonical)
    {
        Assert.Equal(canonical, ThresholdRange.Parse(text).ToString());
    }

    [Fact]
    public void Any_range_reads_back_equal_from_its_text()
    {
        var end = Gen.OneOf(Gen.Double[-1e6, 1e6], Gen.Const(double.PositiveInfinity));
        var start = Gen.OneOf(Gen.Double[-1e6, 1e6], Gen.Const(double.NegativeInfinity), Gen.Const(0d));
        Gen.Select(start, end, Gen.Bool)
            .Where(t => t.Item1 <= t.Item2)
            .Sample(t =>
            {
                var range = new ThresholdRange(t.Item1, t.Item2, t.Item3);
                Assert.Equal(range, ThresholdRange.Parse(range.ToString()));
            }, iter: 2000);
    }
}
