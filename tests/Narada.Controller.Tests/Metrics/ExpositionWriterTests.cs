using Narada.Controller.Metrics;
using Narada.Core.Metrics;
using Narada.Testing;

namespace Narada.Controller.Tests.Metrics;

[Trait("Category", "Peers")]
public class ExpositionWriterTests
{
    private static string Write(IEnumerable<Sample> samples)
    {
        var text = new StringWriter();
        ExpositionWriter.Write(text, samples);
        return text.ToString();
    }

    [Fact]
    public async Task Output_from_several_hosts_passes_promtool()
    {
        var store = new SampleStore();
        var now = DateTimeOffset.UtcNow;
        foreach (var host in new[] { "web01", "db01" })
        {
            store.Replace(host, "node", [
                new Sample("node_load1", 0.5) { Help = "1m load average.\nSecond line \\ kept." },
                new Sample("node_cpu_seconds_total", 1234.5)
                    { Type = MetricType.Counter, Help = "Seconds the CPUs spent in each mode.", Labels = new Dictionary<string, string> { ["cpu"] = "0", ["mode"] = "idle" } },
                new Sample("node_filesystem_avail_bytes", double.PositiveInfinity)
                    { Help = "Filesystem space available.", Labels = new Dictionary<string, string> { ["mountpoint"] = "/with \"quotes\"\nand newline" } },
            ], now);
        }

        var text = Write(store.All());
        Assert.Empty(await Promtool.LintAsync(text));
        Assert.Contains("node_load1{host=\"db01\"} 0.5", text);
        Assert.Contains("mountpoint=\"/with \\\"quotes\\\"\\nand newline\"", text);
        Assert.Single(text.Split('\n'), l => l == "# TYPE node_load1 gauge");
    }

    [Fact]
    public void A_host_cannot_report_samples_as_another_host()
    {
        var store = new SampleStore();
        store.Replace("web01", "custom", [new Sample("x", 1) { Labels = new Dictionary<string, string> { ["host"] = "db01" } }], DateTimeOffset.UtcNow);
        var sample = Assert.Single(store.All());
        Assert.Equal("web01", sample.Labels["host"]);
        Assert.Equal("db01", sample.Labels["exported_host"]);
    }

    [Fact]
    public void Series_of_a_host_that_leaves_disappear()
    {
        var store = new SampleStore();
        var now = DateTimeOffset.UtcNow;
        store.Replace("web01", "node", [new Sample("node_load1", 1)], now);
        store.Replace("web02", "node", [new Sample("node_load1", 2)], now.AddMinutes(-10));
        store.Replace("web03", "node", [new Sample("node_load1", 3)], now);
        store.RemoveHost("web01");
        store.Expire(now.AddMinutes(-1));
        Assert.Equal(["web03"], store.All().Select(s => s.Labels["host"]));
    }

    [Fact]
    public void Duplicate_series_are_written_once()
    {
        var text = Write([new Sample("a", 1), new Sample("a", 2)]);
        Assert.Equal(["# TYPE a gauge", "a 1", ""], text.Split('\n'));
    }
}
