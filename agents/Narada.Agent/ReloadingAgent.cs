using Microsoft.Extensions.Logging;
using Narada.Agent.Configuration;
using Narada.Agent.Manifests;

namespace Narada.Agent;

/// <summary>
/// Runs the agent and, on <see cref="RequestReload"/> (SIGHUP, <c>systemctl reload</c>), replaces it with one built from
/// the configuration and manifests as they are now. The new ones are read first: a file that cannot be read, or a
/// manifest the agent would skip, is logged and refused, and the running agent goes on as it was. Otherwise the running
/// agent stops as on SIGTERM (the jobs in hand finish) and the new one registers in its place.
/// </summary>
public sealed class ReloadingAgent
{
    private readonly Func<AgentConfig> _load;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _requests = new(0);
    private readonly TaskCompletionSource _registered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly AgentConfig _initial;

    /// <param name="initial">The configuration to start with, already read.</param>
    /// <param name="load">Reads the configuration again; throws, with a message for the log, when it cannot.</param>
    public ReloadingAgent(AgentConfig initial, Func<AgentConfig> load, ILoggerFactory loggers)
    {
        _initial = initial;
        _load = load;
        _loggers = loggers;
        _logger = loggers.CreateLogger("narada.agent");
    }

    /// <summary>Completes once the first agent has registered with a job server.</summary>
    public Task Registered => _registered.Task;

    /// <summary>Asks for a reload; safe from a signal handler. Requests that come while one is handled are taken too.</summary>
    public void RequestReload() => _requests.Release();

    /// <summary>Serves until <paramref name="stop"/> fires, then stops the running agent gracefully.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var (config, catalog) = (_initial, ManifestCatalog.Load(_initial.PluginDirs));
        while (true)
        {
            // The manifests a reload checked are the ones the new agent runs, not a second reading of the files.
            await using var agent = new NaradaAgent(config, _loggers, catalog);
            using var generation = CancellationTokenSource.CreateLinkedTokenSource(stop);
            var run = agent.RunAsync(generation.Token);
            _ = agent.Registered.ContinueWith(t => { if (t.IsCompletedSuccessfully) _registered.TrySetResult(); },
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            var next = await NextConfigAsync(run, stop);
            if (next is null)
            {
                await run; // stopped, or failed: either way this is the end
                return;
            }
            generation.Cancel();
            await run;
            (config, catalog) = next.Value;
        }
    }

    /// <summary>Waits for a reload request whose files read cleanly; null when the agent ended first.</summary>
    private async Task<(AgentConfig Config, ManifestCatalog Catalog)?> NextConfigAsync(Task run, CancellationToken stop)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stop);
        try
        {
            while (true)
            {
                var request = _requests.WaitAsync(waiting.Token);
                if (await Task.WhenAny(run, request) == run)
                    return null;
                await request;
                Log.ReloadRequested(_logger);
                if (TryLoad() is { } loaded)
                    return loaded;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return null;
        }
        finally
        {
            await waiting.CancelAsync(); // a request still pending when the agent ended waits no more
        }
    }

    private (AgentConfig Config, ManifestCatalog Catalog)? TryLoad()
    {
        AgentConfig config;
        try
        {
            config = _load();
        }
        catch (Exception e)
        {
            // Whatever the new files hold, a reload must not end an agent that is serving.
            Log.ReloadRefused(_logger, e.Message);
            return null;
        }
        var catalog = ManifestCatalog.Load(config.PluginDirs);
        var errors = catalog.Errors.ToList();
        if (errors.Count > 0)
        {
            Log.ReloadRefused(_logger, string.Join("; ", errors.Select(d => d.ToString())));
            return null;
        }
        return (config, catalog);
    }
}
