using Narada.Agent;
using Narada.Agent.Configuration;
using Narada.Gearman.Transport;
using Narada.Testing;

namespace Narada.Controller.Tests.EndToEnd;

/// <summary>
/// Two real agents under one host name (a cloned machine keeps its name) through a real gearmand: the controller says
/// so on /metrics and /api/hosts instead of silently letting either of them take that host's jobs.
/// </summary>
public sealed class NameConflictTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("narada-conflict-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Two_agents_with_one_name_are_reported_and_one_alone_is_not()
    {
        await using var gearmand = await GearmandServer.StartAsync();
        var config = Directory.CreateDirectory(Path.Combine(_dir, "config")).FullName;
        await File.WriteAllTextAsync(Path.Combine(config, "checks.yaml"),
            "kind: Check\nname: d\nplugin: nagios.check_dummy\nevery: 1h\ntargets: { tags: [x] }\n");
        var servers = new[] { new ServerAddress(gearmand.Host, gearmand.Port) };
        await using var controller = new NaradaController(new ControllerOptions
        {
            ConfigDirectory = config,
            DataDirectory = Path.Combine(_dir, "data"),
            Servers = servers,
            HttpListen = "127.0.0.1:0",
        });
        await controller.StartAsync();
        using var stop = new CancellationTokenSource();
        var agents = new List<(NaradaAgent Agent, Task Run)>();
        foreach (var name in new[] { "clone01", "clone01", "single01" })
        {
            var agent = new NaradaAgent(new AgentConfig
            {
                Name = name,
                Servers = servers,
                PluginDirs = [RepoPaths.Plugins],
                HeartbeatInterval = TimeSpan.FromMilliseconds(300),
            });
            agents.Add((agent, agent.RunAsync(stop.Token)));
        }
        try
        {
            using var http = new HttpClient { BaseAddress = controller.HttpAddress };
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
        finally
        {
            await stop.CancelAsync();
            foreach (var (agent, run) in agents)
            {
                await run;
                await agent.DisposeAsync();
            }
        }
    }
}
