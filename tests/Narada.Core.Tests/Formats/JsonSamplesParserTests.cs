using Narada.Core.Formats;
using Narada.Core.Metrics;
using Narada.Testing;

namespace Narada.Core.Tests.Formats;

[Trait("Category", "Peers")]
public sealed class JsonSamplesParserTests
{
    [Fact]
    public void The_metrics_list_shape_keeps_labels_type_help_and_time()
    {
        var samples = JsonSamplesParser.Parse("""
            {"metrics":[
              {"name":"queue depth","value":3,"labels":{"queue":"mail","shard":2}},
              {"name":"sent_total","value":1e3,"type":"counter","help":"Mails sent.","timestamp_ms":1700000000000},
              {"name":"temp","value":"NaN","type":"untyped"}
            ]}
            """);

        Assert.Equal(["queue_depth", "sent_total", "temp"], samples.Select(s => s.Name));
        Assert.Equal(new Dictionary<string, string> { ["queue"] = "mail", ["shard"] = "2" }, samples[0].Labels);
        Assert.Equal((1000d, MetricType.Counter, "Mails sent.", 1_700_000_000_000L), (samples[1].Value, samples[1].Type, samples[1].Help, samples[1].TimestampMs!.Value));
        Assert.True(double.IsNaN(samples[2].Value));
        Assert.Equal(MetricType.Untyped, samples[2].Type);
    }

    [Fact]
    public void A_flat_object_of_numbers_is_flattened_by_path()
    {
        var samples = JsonSamplesParser.Parse("""{"load":0.5,"mem":{"free":1024,"used":2048},"up":true,"name":"web01","list":[1,2],"none":null}""");
        Assert.Equal(["load", "mem_free", "mem_used", "up"], samples.Select(s => s.Name));
        Assert.Equal([0.5, 1024, 2048, 1], samples.Select(s => s.Value));
    }

    [Fact]
    public async Task Output_of_jq_reads_like_hand_written_json()
    {
        var jq = await ExternalProcess.RunAsync(RequiredTool.Path("jq", "jq"), ["-n", "{metrics: [{name: \"jobs\", value: (6*7)}]}"]);
        var sample = Assert.Single(JsonSamplesParser.Parse(jq.Stdout));
        Assert.Equal(("jobs", 42d), (sample.Name, sample.Value));
    }

    [Theory]
    [InlineData("{\"a\":1,\n\"b\":}", 2)]
    [InlineData("not json", 1)]
    [InlineData("", 1)]
    [InlineData("{\"a\":1} trailing", 1)]
    public void Bad_json_names_the_line(string text, int line)
    {
        var e = Assert.Throws<MetricFormatException>(() => JsonSamplesParser.Parse(text));
        Assert.Equal(line, e.LineNumber);
    }

    [Theory]
    [InlineData("""{"metrics":[{"value":1}]}""", "metrics[0]")]
    [InlineData("""{"metrics":[{"name":"a"}]}""", "'a'")]
    [InlineData("""{"metrics":[{"name":"a","value":"x"}]}""", "value")]
    [InlineData("""{"metrics":[{"name":"a","value":1,"type":"histogram"}]}""", "histogram")]
    [InlineData("""{"metrics":[3]}""", "not an object")]
    [InlineData("42", "Number")]
    public void Malformed_metrics_say_which(string text, string mentioned)
    {
        var e = Assert.Throws<MetricFormatException>(() => JsonSamplesParser.Parse(text));
        Assert.Contains(mentioned, e.Message, StringComparison.Ordinal);
    }
}
