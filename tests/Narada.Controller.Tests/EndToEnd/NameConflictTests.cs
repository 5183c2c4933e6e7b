using Narada.Testing;

namespace Narada.Controller.Tests.EndToEnd;

/// <summary>
/// Two real agents under one host name (a cloned machine keeps its name) through a real gearmand: the controller says
/// so on /metrics and /api/hosts instead of silently letting either of them take that host's jobs.
/// </summary>
[Trait("Category", "Peers")]
public sealed class NameConflictTests
{
    [Fact]
    public async Task Two_agents_with_one_name_are_reported_and_one_alone_is_not()
    {
        await using var fleet = await LiveFleet.StartAsync("kind: Check\nname: d\nplugin: nagios.check_dummy\nevery: 1h\ntargets: { tags: [x] }\n");
        foreach (var name in new[] { "clone01", "clone01", "single01" })
            fleet.AddAgent(name, [], TimeSpan.FromMilliseconds(300));

        using var http = new HttpClient { BaseAddress = fleet.Controller.HttpAddress };
        string metrics = "";
        await Retry.UntilAsync(async () =>
        {
            metrics = await http.GetStringAsync("metrics");
            return metrics.Contains("narada_agent_name_conflict{host=\"clone01\"} 1", StringComparison.Ordinal)
                && metrics.Contains("narada_agent_up{host=\"single01\"} 1", StringComparison.Ordinal);
        }, "the conflict on /metrics", TimeSpan.FromSeconds(20));
        Assert.Contains("narada_agent_name_conflict{host=\"single01\"} 0", metrics, StringComparison.Ordinal);
        var hosts = await http.GetStringAsync("api/hosts");
        Assert.Contains("\"name\":\"clone01\",", hosts, StringComparison.Ordinal);
        Assert.Contains("\"name_conflict\":true", hosts, StringComparison.Ordinal);
    }
}
