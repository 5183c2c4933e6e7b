using Narada.Agent;
using Narada.Agent.Configuration;
using Narada.Gearman.Transport;
using Narada.Testing;

namespace Narada.Controller.Tests.EndToEnd;

/// <summary>
/// The whole flow for one test: a stock gearmand, a controller reading <c>checks.yaml</c> from a directory of its own
/// (HTTP on a free loopback port) and real agents added by name. Disposing stops the agents, the controller and
/// gearmand, and removes the directory.
/// </summary>
internal sealed class LiveFleet : IAsyncDisposable
{
    private readonly string _dir;
    private readonly GearmandServer _gearmand;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(NaradaAgent Agent, Task Run)> _agents = [];

    private LiveFleet(string dir, GearmandServer gearmand, NaradaController controller)
    {
        _dir = dir;
        _gearmand = gearmand;
        Controller = controller;
    }

    public NaradaController Controller { get; }

    public IReadOnlyList<ServerAddress> Servers => [new ServerAddress(_gearmand.Host, _gearmand.Port)];

    /// <summary>Starts gearmand and a controller with <paramref name="definitions"/> as its only file.</summary>
    public static async Task<LiveFleet> StartAsync(string definitions)
    {
        var dir = Directory.CreateTempSubdirectory("narada-fleet-").FullName;
        var config = Directory.CreateDirectory(Path.Combine(dir, "config")).FullName;
        await File.WriteAllTextAsync(Path.Combine(config, "checks.yaml"), definitions);
        var gearmand = await GearmandServer.StartAsync();
        var controller = new NaradaController(new ControllerOptions
        {
            ConfigDirectory = config,
            DataDirectory = Path.Combine(dir, "data"),
            Servers = [new ServerAddress(gearmand.Host, gearmand.Port)],
            HttpListen = "127.0.0.1:0",
            MaxSplay = TimeSpan.FromMilliseconds(100),
        });
        var fleet = new LiveFleet(dir, gearmand, controller);
        try
        {
            await controller.StartAsync();
            return fleet;
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a real agent named <paramref name="name"/> against the fleet's gearmand, with the repository's plugins.</summary>
    public void AddAgent(string name, IReadOnlyList<string> tags, TimeSpan heartbeat)
    {
        var agent = new NaradaAgent(new AgentConfig
        {
            Name = name,
            Tags = tags,
            Servers = Servers,
            PluginDirs = [RepoPaths.Plugins],
            HeartbeatInterval = heartbeat,
        });
        _agents.Add((agent, agent.RunAsync(_stop.Token)));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var (agent, run) in _agents)
        {
            await run;
            await agent.DisposeAsync();
        }
        await Controller.DisposeAsync();
        await _gearmand.DisposeAsync();
        _stop.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
