using Narada.Core.Formats;

namespace Narada.Core.Tests.Formats;

public sealed class InfluxLineParserTests
{
    [Fact]
    public void Measurement_and_field_make_the_name_tags_make_labels()
    {
        var sample = Assert.Single(InfluxLineParser.Parse("cpu,host=a usage_idle=3"));
        Assert.Equal("cpu_usage_idle", sample.Name);
        Assert.Equal(3, sample.Value);
        Assert.Equal(new Dictionary<string, string> { ["host"] = "a" }, sample.Labels);
        Assert.Null(sample.TimestampMs);
    }

    [Fact]
    public void Every_numeric_field_type_is_read_and_strings_are_skipped()
    {
        var samples = InfluxLineParser.Parse(
            "mem,host=web01,region=eu-west free=1.5e3,used=42i,big=18446744073709551615u,ok=true,bad=F,note=\"a, b=c \\\"q\\\"\",x=-0.5 1700000000123456789\n");

        Assert.Equal(["mem_free", "mem_used", "mem_big", "mem_ok", "mem_bad", "mem_x"], samples.Select(s => s.Name));
        Assert.Equal([1500, 42, 18446744073709551615d, 1, 0, -0.5], samples.Select(s => s.Value));
        Assert.All(samples, s => Assert.Equal(1_700_000_000_123L, s.TimestampMs));
        Assert.All(samples, s => Assert.Equal("eu-west", s.Labels["region"]));
    }

    [Fact]
    public void Escaped_commas_spaces_and_equals_are_literal()
    {
        var sample = Assert.Single(InfluxLineParser.Parse(@"disk\ io,path=C:\\dir,na\=me=with\ space,k=a\,b read\ ops=5i"));
        Assert.Equal("disk_io_read_ops", sample.Name);
        Assert.Equal(@"C:\\dir", sample.Labels["path"]);
        Assert.Equal("with space", sample.Labels["na_me"]);
        Assert.Equal("a,b", sample.Labels["k"]);
    }

    [Fact]
    public void A_line_of_only_string_fields_gives_no_sample()
    {
        Assert.Empty(InfluxLineParser.Parse("# comment\n\nevents msg=\"deploy done\"\n"));
    }

    [Theory]
    [InlineData("cpu", 1, "no fields")]
    [InlineData("cpu,host=a", 1, "no fields")]
    [InlineData("ok v=1\ncpu value", 2, "key=value")]
    [InlineData("cpu v=abc", 1, "not a number")]
    [InlineData("cpu v=12x", 1, "not a number")]
    [InlineData("cpu v=1.5i", 1, "integer")]
    [InlineData("cpu v=\"open", 1, "not closed")]
    [InlineData("cpu v=1 soon", 1, "timestamp")]
    [InlineData(",host=a v=1", 1, "empty")]
    [InlineData("cpu,host= v=1", 1, "empty value")]
    [InlineData("cpu,host=a,host=b v=1", 1, "twice")]
    public void Malformed_lines_are_named(string text, int line, string mentioned)
    {
        var e = Assert.Throws<MetricFormatException>(() => InfluxLineParser.Parse(text));
        Assert.Equal(line, e.LineNumber);
        Assert.Contains(mentioned, e.Reason, StringComparison.Ordinal);
    }
}
