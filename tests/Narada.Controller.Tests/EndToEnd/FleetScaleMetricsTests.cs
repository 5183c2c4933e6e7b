using System.Net;
using Narada.Controller.Metrics;
using Narada.Controller.Metrics.RemoteWrite;
using Narada.Testing;

namespace Narada.Controller.Tests.EndToEnd;

/// <summary>The fleet's series at scale: sharded /metrics, and remote write into a real Prometheus.</summary>
[Trait("Category", "Peers")]
public sealed class FleetScaleMetricsTests : IAsyncDisposable
{
    private static readonly string[] Hosts = ["web01", "web02", "db01", "db02", "cache01"];
    private LiveFleet? _fleet;

    private async Task<LiveFleet> StartAsync(Func<ControllerOptions, ControllerOptions>? configure = null)
    {
        _fleet = await LiveFleet.StartAsync("""
            kind: Check
            name: alive
            plugin: nagios.check_dummy
            params: { state: "0", text: "alive" }
            every: 1s
            targets: { tags: [linux] }
            ---
            kind: Collector
            name: node
            plugin: system.load
            every: 1s
            targets: { tags: [linux] }
            """, configure: configure);
        foreach (var host in Hosts)
            _fleet.AddAgent(host, ["linux"], TimeSpan.FromSeconds(1));
        await Retry.UntilAsync(() => Hosts.All(h => _fleet.Controller.Checks.TryGet("alive", h, out var e) && e.State.HasResult)
                && Hosts.All(h => _fleet.Controller.Samples.Of(x => x == h).Any()),
            "every host's check result and series", TimeSpan.FromSeconds(40));
        return _fleet;
    }

    private static HashSet<string> HostsIn(string exposition) =>
        [.. System.Text.RegularExpressions.Regex.Matches(exposition, "host=\"([^\"]+)\"").Select(m => m.Groups[1].Value)];

    [Fact]
    public async Task Each_shard_holds_its_hosts_series_only_the_shards_cover_the_fleet_and_the_controllers_counters_are_on_shard_0()
    {
        var fleet = await StartAsync();
        using var http = new HttpClient { BaseAddress = fleet.Controller.HttpAddress };

        var pages = new List<string>();
        for (int k = 0; k < 3; k++)
            pages.Add(await http.GetStringAsync($"metrics?shard={k}&of=3"));

        var seen = pages.Select(HostsIn).ToArray();
        for (int k = 0; k < 3; k++)
            Assert.All(seen[k], host => Assert.Equal(k, MetricsShard.Of(host, 3)));
        Assert.Equal(Hosts.Order(), seen.SelectMany(s => s).Order());
        Assert.Contains("narada_scheduler_firings_total", pages[0]);
        Assert.DoesNotContain("narada_scheduler_firings_total", pages[1]);
        Assert.DoesNotContain("narada_scheduler_firings_total", pages[2]);
        Assert.Contains("node_load1{", string.Concat(pages));
        var whole = await http.GetStringAsync("metrics");
        Assert.Equal(Hosts.Order(), HostsIn(whole).Order());

        var bad = await http.GetAsync("metrics?shard=3&of=3");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("0 <= K < N", await bad.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_example_prometheus_config_for_shards_passes_promtool_and_covers_every_shard_once()
    {
        var file = Path.Combine(RepoPaths.Root, "deploy", "prometheus", "narada-sharded.yml");
        var checkedConfig = await ExternalProcess.RunAsync(RequiredTool.Path("promtool", "prometheus"), ["check", "config", file]);
        Assert.True(checkedConfig.ExitCode == 0, checkedConfig.ToString());
        var shards = System.Text.RegularExpressions.Regex.Matches(await File.ReadAllTextAsync(file), @"shard: \[""(\d+)""\], of: \[""4""\]")
            .Select(m => m.Groups[1].Value);
        Assert.Equal(["0", "1", "2", "3"], shards);
    }

    [Fact]
    public async Task Remote_write_puts_every_hosts_series_into_a_real_prometheus_and_counts_what_it_sent()
    {
        await using var prometheus = await PrometheusServer.StartReceiverAsync();
        var fleet = await StartAsync(o => o with { RemoteWrite = new RemoteWriteTarget(prometheus.RemoteWriteUrl) { Interval = TimeSpan.FromSeconds(1) } });

        foreach (var host in Hosts)
            await Retry.UntilAsync(async () => (await prometheus.QueryAsync($"narada_check_status{{check=\"alive\",host=\"{host}\"}}")).Length == 1,
                $"{host}'s check state in Prometheus", TimeSpan.FromSeconds(40));
        var load = await prometheus.QueryAsync("node_load1{host=\"db02\"}");
        Assert.Single(load);
        Assert.Equal("0", (await prometheus.QueryAsync("narada_check_status{check=\"alive\",host=\"web01\"}"))[0].GetProperty("value")[1].GetString());
        using var http = new HttpClient { BaseAddress = fleet.Controller.HttpAddress };
        var metrics = await http.GetStringAsync("metrics");
        var sent = System.Text.RegularExpressions.Regex.Match(metrics, @"narada_remote_write_samples_total (\d+)");
        Assert.True(sent.Success && long.Parse(sent.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, metrics);
    }

    [Fact]
    public async Task A_receiver_that_is_away_fills_a_bounded_buffer_that_drops_its_oldest_and_counts_them()
    {
        int closed = FreePort.Next(); // nothing listens there
        var fleet = await StartAsync(o => o with
        {
            RemoteWrite = new RemoteWriteTarget(new Uri($"http://127.0.0.1:{closed}/api/v1/write"))
            {
                Interval = TimeSpan.FromSeconds(1),
                MaxSamplesPerSend = 10,
                MaxPendingSamples = 50,
            },
        });
        // A snapshot bigger than the buffer drops its oldest batches as it is queued, before any send has failed.
        await Retry.UntilAsync(() => fleet.Controller.Metrics.RemoteWriteDropped.Value > 0
                && fleet.Controller.Metrics.RemoteWriteFailures.WithLabels("retried").Value > 0,
            "samples dropped past the buffer, and sends to the closed port failing", TimeSpan.FromSeconds(30));
        Assert.InRange(fleet.Controller.Metrics.RemoteWritePending.Value, 1, 50);
        Assert.Equal(0, fleet.Controller.Metrics.RemoteWriteSamples.Value);
    }

    [Fact]
    public async Task A_collectors_drop_list_keeps_those_families_out_of_metrics_and_the_rest_in()
    {
        _fleet = await LiveFleet.StartAsync("""
            kind: Collector
            name: node
            plugin: system.load
            every: 1s
            targets: { tags: [linux] }
            drop: [node_load5, "node_load1*5"]
            """);
        _fleet.AddAgent("web01", ["linux"], TimeSpan.FromSeconds(1));
        using var http = new HttpClient { BaseAddress = _fleet.Controller.HttpAddress };
        await Retry.UntilAsync(async () => (await http.GetStringAsync("metrics")).Contains("node_load1{host=\"web01\"}", StringComparison.Ordinal),
            "web01's load series", TimeSpan.FromSeconds(30));

        var metrics = await http.GetStringAsync("metrics");
        Assert.DoesNotContain("node_load15{", metrics);
        Assert.DoesNotContain("node_load5{", metrics);
    }

    public async ValueTask DisposeAsync()
    {
        if (_fleet is not null)
            await _fleet.DisposeAsync();
    }
}
