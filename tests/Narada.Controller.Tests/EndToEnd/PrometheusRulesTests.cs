using Narada.Testing;

namespace Narada.Controller.Tests.EndToEnd;

/// <summary>
/// deploy/prometheus: promtool accepts the scrape config and passes the alert rules' unit tests, and a real Prometheus
/// with those rules raises NaradaCheckCritical for a real CRITICAL check on a real agent.
/// </summary>
[Trait("Category", "Peers")]
public sealed class PrometheusRulesTests
{
    private static readonly string Deploy = Path.Combine(RepoPaths.Root, "deploy", "prometheus");
    private static string Promtool => RequiredTool.Path("promtool", "prometheus");

    [Fact]
    public async Task Promtool_accepts_the_scrape_config_and_its_rule_file()
    {
        var check = await ExternalProcess.RunAsync(Promtool, ["check", "config", Path.Combine(Deploy, "prometheus.yml")]);
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Contains("SUCCESS: 1 rule files found", check.Stdout + check.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_alert_rules_pass_their_promtool_unit_tests()
    {
        var test = await ExternalProcess.RunAsync(Promtool, ["test", "rules", Path.Combine(Deploy, "narada.rules.test.yml")]);
        Assert.True(test.ExitCode == 0, test.ToString());
    }

    [Fact]
    public async Task A_real_prometheus_with_the_rules_raises_a_critical_check_of_a_real_agent()
    {
        await using var fleet = await LiveFleet.StartAsync("""
            kind: Check
            name: raid
            plugin: nagios.check_dummy
            params: { state: "2", text: "degraded" }
            every: 1s
            attempts: 1
            targets: { tags: [linux] }
            """);
        fleet.AddAgent("rules01", ["linux"], TimeSpan.FromSeconds(1));
        await using var prometheus = await PrometheusServer.StartAsync($"127.0.0.1:{fleet.Controller.HttpAddress!.Port}",
            "narada-controller", Path.Combine(Deploy, "narada.rules.yml"));

        System.Text.Json.JsonElement alert = default;
        await Retry.UntilAsync(async () =>
        {
            alert = (await prometheus.AlertsAsync()).FirstOrDefault(a =>
                a.GetProperty("labels").GetProperty("alertname").GetString() == "NaradaCheckCritical");
            return alert.ValueKind != System.Text.Json.JsonValueKind.Undefined && alert.GetProperty("state").GetString() == "firing";
        }, "NaradaCheckCritical to fire", TimeSpan.FromSeconds(60));

        var labels = alert.GetProperty("labels");
        Assert.Equal(("raid", "rules01", "critical"),
            (labels.GetProperty("check").GetString(), labels.GetProperty("host").GetString(), labels.GetProperty("severity").GetString()));
        Assert.Equal("raid on rules01 is CRITICAL", alert.GetProperty("annotations").GetProperty("summary").GetString());
    }
}
