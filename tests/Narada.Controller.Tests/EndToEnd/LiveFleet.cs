using Narada.Agent;
using Narada.Agent.Configuration;
using Narada.Gearman.Transport;
using Narada.Testing;

namespace Narada.Controller.Tests.EndToEnd;

/// <summary>
/// The whole flow for one test: stock gearmand servers (one unless told), a controller reading <c>checks.yaml</c> from a
/// directory of its own (HTTP on a free loopback port) and real agents added by name, connected to every gearmand.
/// Disposing stops the agents, the controller and the gearmands, and removes the directory.
/// </summary>
internal sealed class LiveFleet : IAsyncDisposable
{
    private readonly string _dir;
    private readonly IReadOnlyList<GearmandServer> _gearmands;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(NaradaAgent Agent, Task Run)> _agents = [];

    private LiveFleet(string dir, IReadOnlyList<GearmandServer> gearmands, NaradaController controller)
    {
        _dir = dir;
        _gearmands = gearmands;
        Controller = controller;
    }

    public NaradaController Controller { get; }

    public IReadOnlyList<ServerAddress> Servers => [.. _gearmands.Select(g => new ServerAddress(g.Host, g.Port))];

    /// <summary>Starts <paramref name="jobServers"/> gearmands and a controller with <paramref name="definitions"/> as its
    /// definitions file, connected to all of them. <paramref name="files"/> go beside it (paths relative to the
    /// definitions directory, e.g. <c>templates/app.scriban</c>). <paramref name="configure"/> may change the controller's
    /// options (a users file, a store).</summary>
    public static async Task<LiveFleet> StartAsync(string definitions, int jobServers = 1,
        IReadOnlyDictionary<string, string>? files = null, Func<ControllerOptions, ControllerOptions>? configure = null)
    {
        var dir = Directory.CreateTempSubdirectory("narada-fleet-").FullName;
        var config = Directory.CreateDirectory(Path.Combine(dir, "config")).FullName;
        await File.WriteAllTextAsync(Path.Combine(config, "checks.yaml"), definitions);
        foreach (var (name, text) in files ?? new Dictionary<string, string>())
        {
            var path = Path.Combine(config, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, text);
        }
        var gearmands = new List<GearmandServer>();
        try
        {
            for (int i = 0; i < jobServers; i++)
                gearmands.Add(await GearmandServer.StartAsync());
        }
        catch
        {
            foreach (var started in gearmands)
                await started.DisposeAsync();
            throw;
        }
        var options = new ControllerOptions
        {
            ConfigDirectory = config,
            DataDirectory = Path.Combine(dir, "data"),
            Servers = [.. gearmands.Select(g => new ServerAddress(g.Host, g.Port))],
            HttpListen = "127.0.0.1:0",
            MaxSplay = TimeSpan.FromMilliseconds(100),
        };
        var controller = new NaradaController(configure is null ? options : configure(options));
        var fleet = new LiveFleet(dir, gearmands, controller);
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

    /// <summary>Starts a real agent named <paramref name="name"/> against the fleet's gearmands, with the repository's
    /// plugins (and <paramref name="morePlugins"/> directories), and <paramref name="apply"/> as its apply settings (none:
    /// applies are refused).</summary>
    public void AddAgent(string name, IReadOnlyList<string> tags, TimeSpan heartbeat, ApplyConfig? apply = null,
        IReadOnlyList<string>? morePlugins = null)
    {
        var agent = new NaradaAgent(new AgentConfig
        {
            Name = name,
            Tags = tags,
            Servers = Servers,
            PluginDirs = [RepoPaths.Plugins, .. morePlugins ?? []],
            HeartbeatInterval = heartbeat,
            Apply = apply ?? new ApplyConfig(),
        });
        _agents.Add((agent, agent.RunAsync(_stop.Token)));
    }

    /// <summary>Stops gearmand number <paramref name="index"/> (as if it died); the others go on.</summary>
    public ValueTask StopJobServerAsync(int index) => _gearmands[index].DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        // The gearmands and the directory go whatever the agents or the controller throw on the way out: a fixture
        // that stopped half way left its gearmands running after the test run.
        try
        {
            await _stop.CancelAsync();
            foreach (var (agent, run) in _agents)
            {
                await run;
                await agent.DisposeAsync();
            }
            await Controller.DisposeAsync();
        }
        finally
        {
            foreach (var gearmand in _gearmands)
                await gearmand.DisposeAsync();
            _stop.Dispose();
            Directory.Delete(_dir, recursive: true);
        }
    }
}
