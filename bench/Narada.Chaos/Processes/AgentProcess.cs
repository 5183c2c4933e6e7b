using Narada.Testing;

namespace Narada.Chaos.Processes;

/// <summary>A real <c>narada agent</c> under a host name of its own, that a scenario kills and starts again.</summary>
public sealed class AgentProcess : IAsyncDisposable
{
    private readonly string _config;
    private ExternalProcess? _process;

    public AgentProcess(string directory, string name, IEnumerable<string> servers, string pluginDirectory, int concurrency = 4)
    {
        Name = name;
        _config = Path.Combine(directory, $"agent-{name}.yaml");
        File.WriteAllText(_config, $"""
            name: {name}
            servers: [{string.Join(", ", servers)}]
            tags: [chaos]
            plugin_dirs: [{pluginDirectory}]
            concurrency: {concurrency}
            heartbeat_interval: 1s
            """);
    }

    public string Name { get; }
    public int Pid => _process?.Id ?? 0;

    /// <summary>Starts the agent; it registers and sends its first heartbeat on its own.</summary>
    public void Start() => _process = NaradaProgram.Start(["agent", "--config", _config]);

    /// <summary>SIGKILL to the agent's process alone, as <c>kill -9 PID</c> or the OOM killer sends it: the plugins it
    /// started are left to themselves (disposing the process would kill its whole tree).</summary>
    public async Task KillAsync()
    {
        if (_process is null)
            return;
        ProcessTable.Kill(_process.Id);
        try
        {
            await _process.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
        }
        await _process.DisposeAsync();
        _process = null;
    }

    /// <summary>SIGTERM: the agent finishes the jobs in hand and leaves; SIGKILL after 30 s.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
            return;
        using (var term = System.Diagnostics.Process.Start("/bin/kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await term.WaitForExitAsync();
        try
        {
            await _process.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
        }
        await KillAsync();
    }

    public ValueTask DisposeAsync() => _process?.DisposeAsync() ?? ValueTask.CompletedTask;
}
