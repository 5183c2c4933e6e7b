using Narada.Core.Definitions;

namespace Narada.Core.Tests.Definitions;

public sealed class DurationTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("10s", 10_000)]
    [InlineData("5m", 300_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("1h1m1s1ms", 3_661_001)]
    [InlineData(" 15s ", 15_000)]
    [InlineData("0s", 0)]
    [InlineData("1.5m", 90_000)]    // the agent's manifests took decimals; the grammar is the union of both
    [InlineData("0.25s", 250)]
    [InlineData("1m30s", 90_000)]  // and checks took compounds, which manifests refused
    [InlineData("2.5h10m", 9_600_000)]
    public void Parses_unit_suffixed_durations(string text, long milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Duration.Parse(text));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("60", "no unit")]
    [InlineData("10x", "unknown unit 'x'")]
    [InlineData("s", "expected a number")]
    [InlineData("1.5.1s", "is not a number")]
    [InlineData(".5s", "is not a number")]
    [InlineData("5.s", "is not a number")]
    [InlineData("1m30", "the last number needs a unit")]
    [InlineData("-5s", "expected a number")]
    [InlineData("5 m", "unexpected ' '")]
    [InlineData("99999999999999999999d", "too large")]
    [InlineData("999999999999d", "too large")]
    public void Rejects_malformed_durations_with_the_reason(string text, string reason)
    {
        Assert.False(Duration.TryParse(text, out _, out var message));
        Assert.Contains(reason, message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => Duration.Parse(text));
    }

    [Theory]
    [InlineData("1h30m")]
    [InlineData("15s")]
    [InlineData("1d2h")]
    [InlineData("250ms")]
    public void Formats_back_to_the_written_form(string text) =>
        Assert.Equal(text, Duration.Format(Duration.Parse(text)));
}
