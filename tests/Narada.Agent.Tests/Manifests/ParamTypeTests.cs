using Narada.Agent.Manifests;

namespace Narada.Agent.Tests.Manifests;

public sealed class ParamTypeTests
{
    [Theory]
    [InlineData("10")]
    [InlineData("10:")]
    [InlineData("~:10")]
    [InlineData("10:20")]
    [InlineData("@10:20")]
    [InlineData("-5:5.5")]
    [InlineData("0.5")]
    [InlineData("20%")]
    [InlineData("12.5%")]
    public void Threshold_accepts_nagios_ranges_and_percentages_verbatim(string value)
    {
        Assert.Null(new ThresholdParamType().Check(value, out var rendered));
        Assert.Equal(value, rendered);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("10-20")]
    [InlineData("20:10")]
    [InlineData("%")]
    [InlineData("-20%")]
    [InlineData(":")]
    [InlineData("10::20")]
    [InlineData(" 10")]
    public void Threshold_rejects_anything_else(string value) =>
        Assert.NotNull(new ThresholdParamType().Check(value, out _));

    [Theory]
    [InlineData("/", "/")]
    [InlineData("/var/log/", "/var/log")]
    [InlineData("/var//log/./../tmp", "/var/tmp")]
    [InlineData("/../../etc", "/etc")]
    public void Path_is_normalised(string value, string expected)
    {
        Assert.Null(new PathParamType().Check(value, out var rendered));
        Assert.Equal(expected, rendered);
    }

    [Theory]
    [InlineData("relative/path")]
    [InlineData("")]
    [InlineData("/etc\0/passwd")]
    [InlineData("/etc\n/passwd")]
    public void Path_rejects_relative_and_control_characters(string value) =>
        Assert.NotNull(new PathParamType().Check(value, out _));

    [Theory]
    [InlineData("10s", false, "10")]
    [InlineData("500ms", false, "1")]
    [InlineData("1.5m", false, "90")]
    [InlineData("2s", true, "2000")]
    [InlineData("1m30s", false, "90")]
    [InlineData("1d", false, "86400")]
    public void Duration_is_written_as_a_whole_number_of_its_unit(string value, bool milliseconds, string expected)
    {
        Assert.Null(new DurationParamType(milliseconds).Check(value, out var rendered));
        Assert.Equal(expected, rendered);
    }

    [Theory]
    [InlineData("10")]
    [InlineData("-1s")]
    [InlineData("1x")]
    [InlineData("s")]
    public void Duration_needs_a_number_and_a_unit(string value) =>
        Assert.NotNull(new DurationParamType(false).Check(value, out _));

    [Fact]
    public void Int_and_number_are_bounded_and_canonical()
    {
        var port = new IntParamType(1, 65535);
        Assert.Null(port.Check("+080", out var p));
        Assert.Equal("80", p);
        Assert.NotNull(port.Check("0", out _));
        Assert.NotNull(port.Check("1e3", out _));
        Assert.NotNull(port.Check("8080 ", out _));

        var load = new NumberParamType(0, double.MaxValue);
        Assert.Null(load.Check("2.50", out var l));
        Assert.Equal("2.5", l);
        Assert.NotNull(load.Check("-1", out _));
        Assert.NotNull(load.Check("NaN", out _));
        Assert.NotNull(load.Check("1e5", out _));
    }

    [Fact]
    public void String_pattern_must_match_the_whole_value()
    {
        var name = new StringParamType(StringParamType.CompilePattern("[a-z]+"), 10);
        Assert.Null(name.Check("sshd", out _));
        Assert.NotNull(name.Check("sshd;id", out _));
        Assert.NotNull(name.Check("x\nsshd", out _));
        Assert.NotNull(name.Check("abcdefghijk", out _));

        var free = new StringParamType(null, 100);
        Assert.Null(free.Check("any text; $(even this)", out _));
        Assert.NotNull(free.Check("-V", out _));
        Assert.NotNull(free.Check("", out _));
    }

    [Fact]
    public void Arg_template_fills_placeholders_keeps_doubled_braces_and_drops_when_a_value_is_missing()
    {
        var template = ArgTemplate.Parse("{{x}}--w={warn},{crit}}}", out var problem)!;
        Assert.Null(problem);
        Assert.Equal(["warn", "crit"], template.Params);
        Assert.Equal("{x}--w=1,2}", template.Render(new Dictionary<string, string> { ["warn"] = "1", ["crit"] = "2" }));
        Assert.Null(template.Render(new Dictionary<string, string> { ["warn"] = "1" }));

        Assert.Null(ArgTemplate.Parse("{Bad}", out var bad));
        Assert.Contains("not a valid parameter placeholder", bad);
        Assert.Null(ArgTemplate.Parse("a}b", out var stray));
        Assert.Contains("no opening brace", stray);
    }
}
