using Narada.Core.Formats;

namespace Narada.Core.Tests.Formats;

public sealed class GraphiteParserTests
{
    [Fact]
    public void Paths_become_names_and_seconds_become_milliseconds()
    {
        var samples = GraphiteParser.Parse("servers.web-01.load.1min 0.42 1700000000\n\n# comment\nfoo.bar 7\n");

        Assert.Equal(2, samples.Count);
        Assert.Equal(("servers_web_01_load_1min", 0.42, 1_700_000_000_000L), (samples[0].Name, samples[0].Value, samples[0].TimestampMs!.Value));
        Assert.Equal(("foo_bar", 7d), (samples[1].Name, samples[1].Value));
        Assert.Null(samples[1].TimestampMs);
    }

    [Fact]
    public void Tags_become_labels_and_minus_one_means_now()
    {
        var sample = Assert.Single(GraphiteParser.Parse("disk.used;host=web01;mount=/var 12.5e3 -1\r\n"));
        Assert.Equal("disk_used", sample.Name);
        Assert.Equal(12500, sample.Value);
        Assert.Equal(new Dictionary<string, string> { ["host"] = "web01", ["mount"] = "/var" }, sample.Labels);
        Assert.Null(sample.TimestampMs);
    }

    [Theory]
    [InlineData("a.b\n", 1, "field")]
    [InlineData("ok 1 1\na.b x 1700000000\n", 2, "not a number")]
    [InlineData("a.b 1 yesterday\n", 1, "timestamp")]
    [InlineData("a.b 1 2 3\n", 1, "field")]
    [InlineData("a;host 1 2\n", 1, "tag")]
    [InlineData(";host=a 1 2\n", 1, "empty")]
    [InlineData("a;h=1;h=2 1\n", 1, "twice")]
    public void Malformed_lines_are_named(string text, int line, string mentioned)
    {
        var e = Assert.Throws<MetricFormatException>(() => GraphiteParser.Parse(text));
        Assert.Equal(line, e.LineNumber);
        Assert.Contains(mentioned, e.Reason, StringComparison.Ordinal);
    }
}
