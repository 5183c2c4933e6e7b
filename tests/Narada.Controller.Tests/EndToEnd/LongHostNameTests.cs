using Narada.Agent;
using Narada.Agent.Configuration;
using Narada.Gearman.Transport;
using Narada.Testing;

namespace Narada.Controller.Tests.EndToEnd;

/// <summary>
/// A cloud host name (40 bytes) through a real gearmand: the agent's signed results still fit Gearman's 64-byte
/// unique, so its checks reach the controller.
/// </summary>
public sealed class LongHostNameTests : IDisposable
{
    private const string Name = "ip-10-0-12-34.eu-west-1.compute.internal";
    private readonly string _dir = Directory.CreateTempSubdirectory("narada-long-name-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task An_agent_with_a_cloud_host_name_reports_its_checks()
    {
        await using var gearmand = await GearmandServer.StartAsync();
        var config = Directory.CreateDirectory(Path.Combine(_dir, "config")).FullName;
        await File.WriteAllTextAsync(Path.Combine(config, "checks.yaml"), """
            kind: Check
            name: dummy
            plugin: nagios.check_dummy
            params: { state: "1", text: "long name" }
            every: 1s
            targets: { tags: [cloud] }
            """);
        var servers = new[] { new ServerAddress(gearmand.Host, gearmand.Port) };
        await using var controller = new NaradaController(new ControllerOptions
        {
            ConfigDirectory = config,
            DataDirectory = Path.Combine(_dir, "data"),
            Servers = servers,
            HttpListen = null,
            MaxSplay = TimeSpan.FromMilliseconds(100),
        });
        await controller.StartAsync();
        using var stop = new CancellationTokenSource();
        await using var agent = new NaradaAgent(new AgentConfig
        {
            Name = Name,
            Tags = ["cloud"],
            Servers = servers,
            PluginDirs = [RepoPaths.Plugins],
            HeartbeatInterval = TimeSpan.FromMilliseconds(500),
        });
        var run = agent.RunAsync(stop.Token);
        try
        {
            await Retry.UntilAsync(() => controller.Checks.TryGet("dummy", Name, out var e) && e.State.Output == "WARNING: long name",
                "the long-named host's check result", TimeSpan.FromSeconds(30));
        }
        finally
        {
            await stop.CancelAsync();
            await run;
        }
    }
}
