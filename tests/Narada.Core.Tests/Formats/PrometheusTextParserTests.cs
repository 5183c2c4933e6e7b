using Narada.Core.Formats;
using Narada.Core.Metrics;
using Narada.Testing;

namespace Narada.Core.Tests.Formats;

[Trait("Category", "Peers")]
public sealed class PrometheusTextParserTests
{
    // The example from the exposition format documentation, extended with escapes, blanks and a trailing comma.
    private const string Exposition = """
        # HELP http_requests_total The total number of HTTP requests.
        # TYPE http_requests_total counter
        http_requests_total{method="post",code="200"} 1027 1395066363000
        http_requests_total{method="post",code="400"}    3 1395066363000

        # Escaping in label values:
        msdos_file_access_time_seconds{path="C:\\DIR\\FILE.TXT",error="Cannot find file:\n\"FILE.TXT\""} 1.458255915e9

        # Minimalistic line:
        metric_without_timestamp_and_labels 12.47

        # A weird metric from before the epoch:
        something_weird{problem="division by zero"} +Inf -3982045

        # HELP http_request_duration_seconds Latency\nin seconds \\ rounded.
        # TYPE http_request_duration_seconds histogram
        http_request_duration_seconds_bucket{le="0.05"} 24054
        http_request_duration_seconds_bucket{le="+Inf",} 144320
        http_request_duration_seconds_sum 53423
        http_request_duration_seconds_count 144320

        # TYPE rpc_duration_seconds summary
        rpc_duration_seconds{quantile="0.5"} 4773
        rpc_duration_seconds{quantile="0.99"} NaN
        rpc_duration_seconds_sum 1.7560473e+07
        rpc_duration_seconds_count 2693
        # TYPE temperature gauge
        temperature -Inf
        """;

    [Fact]
    public async Task Promtool_accepts_the_text_and_every_sample_is_read()
    {
        var promtool = await ExternalProcess.RunAsync(RequiredTool.Path("promtool", "prometheus"), ["check", "metrics"], stdin: Exposition + "\n");
        Assert.True(promtool.ExitCode is 0 or 3, promtool.ToString()); // 3 = lint remarks only, the text parsed

        var samples = PrometheusTextParser.Parse(Exposition);

        Assert.Equal(14, samples.Count);
        var post200 = samples[0];
        Assert.Equal(("http_requests_total", 1027d, MetricType.Counter, 1395066363000L), (post200.Name, post200.Value, post200.Type, post200.TimestampMs!.Value));
        Assert.Equal("The total number of HTTP requests.", post200.Help);
        Assert.Equal(new Dictionary<string, string> { ["method"] = "post", ["code"] = "200" }, post200.Labels);

        var msdos = samples[2];
        Assert.Equal(@"C:\DIR\FILE.TXT", msdos.Labels["path"]);
        Assert.Equal("Cannot find file:\n\"FILE.TXT\"", msdos.Labels["error"]);
        Assert.Equal(1.458255915e9, msdos.Value);
        Assert.Equal(MetricType.Untyped, msdos.Type);

        Assert.Equal(12.47, samples[3].Value);
        Assert.Null(samples[3].TimestampMs);
        Assert.Equal((double.PositiveInfinity, -3982045L), (samples[4].Value, samples[4].TimestampMs!.Value));

        var histogram = samples.Where(s => s.Name.StartsWith("http_request_duration_seconds", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, histogram.Count);
        Assert.All(histogram, s => Assert.Equal(MetricType.Counter, s.Type));
        Assert.Equal("+Inf", histogram[1].Labels["le"]);
        Assert.All(histogram, s => Assert.Equal("Latency\nin seconds \\ rounded.", s.Help));

        var summary = samples.Where(s => s.Name.StartsWith("rpc_duration_seconds", StringComparison.Ordinal)).ToList();
        Assert.Equal([MetricType.Gauge, MetricType.Gauge, MetricType.Counter, MetricType.Counter], summary.Select(s => s.Type));
        Assert.True(double.IsNaN(summary[1].Value));
        Assert.Equal(1.7560473e+07, summary[2].Value);
        Assert.Equal((MetricType.Gauge, double.NegativeInfinity), (samples[^1].Type, samples[^1].Value));
    }

    [Fact]
    public void Help_text_unescapes_backslash_and_newline()
    {
        var sample = Assert.Single(PrometheusTextParser.Parse("# HELP a One\\\\two\\nthree\\x\na 1\n"));
        Assert.Equal("One\\two\nthree\\x", sample.Help);
    }

    // Each of these is refused by promtool with a parse error (exit 1) and by the parser, on the same line.
    [Theory]
    [InlineData("ok 1\nfoo{a=\"b\\q\"} 1\n", 2)]
    [InlineData("foo{a=\"1\",a=\"2\"} 1\n", 1)]
    [InlineData("foo 1 2 3\n", 1)]
    [InlineData("ok 1\n\nfoo bar\n", 3)]
    [InlineData("foo{a=\"1\" 1\n", 1)]
    [InlineData("foo{a=1} 1\n", 1)]
    [InlineData("9foo 1\n", 1)]
    [InlineData("foo{9a=\"x\"} 1\n", 1)]
    [InlineData("foo\n", 1)]
    [InlineData("foo 1 12.5\n", 1)]
    [InlineData("# TYPE foo counter\n# TYPE foo gauge\nfoo 1\n", 2)]
    [InlineData("# TYPE foo blah\nfoo 1\n", 1)]
    [InlineData("foo 1\n# TYPE foo counter\n", 2)]
    [InlineData("# HELP foo a\n# HELP foo b\nfoo 1\n", 2)]
    [InlineData("foo{a=\"unterminated} 1\n", 1)]
    public async Task Malformed_text_names_the_line_promtool_names(string text, int line)
    {
        var promtool = await ExternalProcess.RunAsync(RequiredTool.Path("promtool", "prometheus"), ["check", "metrics"], stdin: text);
        Assert.Equal(1, promtool.ExitCode);

        var e = Assert.Throws<MetricFormatException>(() => PrometheusTextParser.Parse(text));
        Assert.Equal(line, e.LineNumber);
        Assert.StartsWith($"prometheus line {line}: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_text_and_comments_give_no_samples()
    {
        Assert.Empty(PrometheusTextParser.Parse(""));
        Assert.Empty(PrometheusTextParser.Parse("# just a comment\n\n#\n   \n"));
    }
}
