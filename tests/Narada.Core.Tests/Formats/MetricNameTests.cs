using CsCheck;
using Narada.Core.Formats;

namespace Narada.Core.Tests.Formats;

public sealed class MetricNameTests
{
    [Theory]
    [InlineData("cpu_usage", "cpu_usage")]
    [InlineData("servers.web-01.load", "servers_web_01_load")]
    [InlineData("/var/log", "_var_log")]
    [InlineData("9lives", "_9lives")]
    [InlineData("a::b", "a_b")]
    [InlineData("größe", "gr_e")]
    [InlineData("", "_")]
    [InlineData("%", "_")]
    public void Sanitize_gives_valid_names(string text, string name)
    {
        Assert.Equal(name, MetricName.Sanitize(text));
    }

    [Theory]
    [InlineData("__name__", "name__")]
    [InlineData("__", "_")]
    [InlineData("__9", "_9")]
    [InlineData("host", "host")]
    public void Label_names_never_start_with_the_reserved_double_underscore(string text, string label)
    {
        Assert.Equal(label, MetricName.SanitizeLabel(text));
    }

    [Fact]
    public void Join_drops_empty_parts()
    {
        Assert.Equal("check_disk", MetricName.Join("check_disk", "/"));
        Assert.Equal("check_disk_var_log", MetricName.Join("check_disk", "/var/log/"));
        Assert.Equal("_", MetricName.Join("", "//"));
    }

    [Fact]
    public void Any_string_sanitises_to_a_valid_name_and_label()
    {
        Gen.String.Sample(s =>
        {
            Assert.True(MetricName.IsValid(MetricName.Sanitize(s)));
            Assert.True(MetricName.IsValidLabel(MetricName.SanitizeLabel(s)));
            Assert.False(MetricName.SanitizeLabel(s).StartsWith("__", StringComparison.Ordinal));
            Assert.True(MetricName.IsValid(MetricName.Join(s, s)));
        }, iter: 5000);
    }

    [Fact]
    public void Sanitize_leaves_valid_names_alone()
    {
        Gen.Char["abcXYZ_019"].Array[1, 30].Select(a => new string(a)).Where(s => !char.IsAsciiDigit(s[0]))
            .Sample(s => Assert.Equal(s, MetricName.Sanitize(s)), iter: 2000);
    }
}
