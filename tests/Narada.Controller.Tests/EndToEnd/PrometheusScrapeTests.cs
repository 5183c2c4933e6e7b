using System.Globalization;
using Narada.Testing;

namespace Narada.Controller.Tests.EndToEnd;

/// <summary>A real Prometheus server scrapes the controller; a value measured by an agent's plugin comes back out of PromQL.</summary>
[Trait("Category", "Peers")]
public sealed class PrometheusScrapeTests : IAsyncLifetime
{
    private LiveFleet _fleet = null!;
    private PrometheusServer _prometheus = null!;

    public async Task InitializeAsync()
    {
        _fleet = await LiveFleet.StartAsync("""
            kind: Check
            name: load
            plugin: nagios.check_load
            every: 1s
            targets: { tags: [linux] }
            ---
            kind: Collector
            name: node
            plugin: system.load
            every: 1s
            targets: { tags: [linux] }
            """);
        _fleet.AddAgent("prom01", ["linux"], TimeSpan.FromSeconds(1));
        _prometheus = await PrometheusServer.StartAsync($"127.0.0.1:{_fleet.Controller.HttpAddress!.Port}");
    }

    [Fact]
    public async Task Prometheus_answers_promql_with_perfdata_and_collector_samples_from_the_agent()
    {
        string[] queries =
        [
            "narada_perfdata_load_load1{host=\"prom01\",check=\"load\"}",
            "node_load1{host=\"prom01\"}",
            "narada_check_status{host=\"prom01\",check=\"load\"}",
            "narada_agent_up{host=\"prom01\"}",
        ];
        foreach (var query in queries)
            await Retry.UntilAsync(async () => (await _prometheus.QueryAsync(query)).Length == 1, $"prometheus to return {query}",
                TimeSpan.FromSeconds(40));

        var load = (await _prometheus.QueryAsync(queries[0]))[0];
        var value = double.Parse(load.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
        Assert.InRange(value, 0, 10_000);
        var up = (await _prometheus.QueryAsync(queries[3]))[0];
        Assert.Equal("1", up.GetProperty("value")[1].GetString());
    }

    public async Task DisposeAsync()
    {
        await _prometheus.DisposeAsync();
        await _fleet.DisposeAsync();
    }
}
