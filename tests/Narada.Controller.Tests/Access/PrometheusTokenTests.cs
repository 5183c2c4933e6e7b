using Narada.Controller.Access;
using Narada.Controller.Tests.EndToEnd;
using Narada.Testing;

namespace Narada.Controller.Tests.Access;

/// <summary>A real Prometheus scrapes a controller that has a users file: with the metrics role's token in
/// <c>credentials_file</c> the target is up; without one it is down with 401.</summary>
[Trait("Category", "Peers")]
public sealed class PrometheusTokenTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("narada-prom-token-").FullName;
    private LiveFleet _fleet = null!;

    public async Task InitializeAsync()
    {
        var users = TestUsers.Write(_dir);
        File.WriteAllText(Path.Combine(_dir, "metrics.token"), users.Tokens[Role.Metrics] + "\n");
        _fleet = await LiveFleet.StartAsync("""
            kind: Check
            name: load
            plugin: nagios.check_load
            every: 1s
            targets: { tags: [linux] }
            """, configure: o => o with { UsersFile = users.Path });
        _fleet.AddAgent("prom01", ["linux"], TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task The_target_with_the_metrics_token_is_up_and_answers_promql_and_the_one_without_is_down_with_401()
    {
        var target = $"127.0.0.1:{_fleet.Controller.HttpAddress!.Port}";
        await using var prometheus = await PrometheusServer.StartAsync(
            [new ScrapeJob("with-token", target, Path.Combine(_dir, "metrics.token")), new ScrapeJob("without-token", target)]);

        await Retry.UntilAsync(async () => (await prometheus.QueryAsync("narada_check_status{job=\"with-token\",host=\"prom01\",check=\"load\"}")).Length == 1,
            "prometheus to scrape the check's status with the token", TimeSpan.FromSeconds(40));
        await Retry.UntilAsync(async () => (await prometheus.TargetsAsync()).Any(t => t.Job == "without-token" && t.Health == "down"),
            "the target without a token to be down", TimeSpan.FromSeconds(40));

        var targets = await prometheus.TargetsAsync();
        Assert.Contains(targets, t => t.Job == "with-token" && t.Health == "up");
        Assert.Contains("401", targets.Single(t => t.Job == "without-token").LastError);
        Assert.Empty(await prometheus.QueryAsync("up{job=\"without-token\"} == 1"));
    }

    public async Task DisposeAsync()
    {
        await _fleet.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
