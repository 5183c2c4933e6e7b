using System.Reflection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Narada.Agent.Apply;
using Narada.Agent.Configuration;
using Narada.Agent.Jobs;
using Narada.Agent.Manifests;
using Narada.Core.Contracts;
using Narada.Core.Execution;
using Narada.Gearman.Client;
using Narada.Gearman.Worker;
using Narada.Plugins.System;
using Narada.Plugins.System.Facts;

namespace Narada.Agent;

/// <summary>
/// The agent on one host: a Gearman worker on every job server in its list, serving <c>narada.check@host</c>,
/// <c>narada.collect@host</c>, <c>narada.facts@host</c> and the <c>@tag:</c> pools of its tags, and announcing itself
/// with a heartbeat on <c>narada.results</c>. Jobs beyond its concurrency wait in the job server, not here.
/// </summary>
public sealed class NaradaAgent : IAsyncDisposable
{
    private readonly AgentConfig _config;
    private readonly ILogger _logger;
    private readonly ManifestCatalog _catalog;
    private readonly BuiltinCollectors _builtins = new();
    private readonly FactsCollector _facts = new();
    private readonly JobRunner _runner;
    private readonly ApplyJob _apply;
    private readonly string _instance = Guid.NewGuid().ToString("N")[..12];
    private readonly SenderUniques _uniques;
    private readonly GearmanWorker _worker;
    private readonly GearmanClient _client;

    public NaradaAgent(AgentConfig config, ILoggerFactory? loggers = null)
        : this(config, loggers, ManifestCatalog.Load(config.PluginDirs))
    {
    }

    /// <summary>An agent that runs <paramref name="catalog"/>, manifests already read from the configuration's plugin
    /// directories (a reload checks them before it replaces the running agent).</summary>
    internal NaradaAgent(AgentConfig config, ILoggerFactory? loggers, ManifestCatalog catalog)
    {
        _config = config;
        _logger = (loggers ?? NullLoggerFactory.Instance).CreateLogger("narada.agent");
        _uniques = new SenderUniques(config.Name);
        if (!_uniques.CanSign)
            Log.UnsignedReplies(_logger, config.Name);
        _catalog = catalog;
        foreach (var diagnostic in _catalog.Diagnostics)
            Log.ManifestDiagnostic(_logger, diagnostic.ToString()!);
        _runner = new JobRunner(config.Name, _catalog, _builtins, new ProcessExecutor(), config.OutputCap);
        _apply = new ApplyJob(config.Name, config.Apply, new ApplyEngine(new ProcessCommandRunner()));
        _client = new GearmanClient(new GearmanClientOptions { Servers = config.Servers, Tls = config.Tls });
        _worker = new GearmanWorker(new GearmanWorkerOptions
        {
            Servers = config.Servers,
            ClientId = $"narada-agent:{config.Name}",
            Tls = config.Tls,
            Concurrency = config.Concurrency,
            StopTimeout = config.StopTimeout,
            Logger = _logger,
        });
        _worker.Register(FunctionNames.ForHost(DefinitionKind.Check, config.Name), HandleJobAsync);
        _worker.Register(FunctionNames.ForHost(DefinitionKind.Collector, config.Name), HandleJobAsync);
        foreach (var tag in config.Tags)
            foreach (var verb in FunctionNames.PoolVerbs)
                _worker.Register(FunctionNames.ForPool(verb, tag), HandleJobAsync);
        _worker.Register(FunctionNames.Facts(config.Name), HandleFactsAsync);
        _worker.Register(FunctionNames.ForHost(DefinitionKind.Apply, config.Name), HandleApplyAsync);
    }

    public static string Version =>
        typeof(NaradaAgent).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>Commands this agent can run: its manifests' available commands and the built-in collectors.</summary>
    public IReadOnlyList<string> Commands =>
        [.. _catalog.AvailableCommands, .. _builtins.All.Select(c => $"{BuiltinCollectors.PluginName}.{c.Name}")];

    /// <summary>Completes once the worker has registered its functions with a job server.</summary>
    public Task Registered => _worker.Registered;

    /// <summary>Serves jobs until <paramref name="cancellationToken"/> fires, then stops gracefully.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Log.Started(_logger, _config.Name, $"narada.{{{string.Join(',', FunctionNames.HostVerbs)}}}@{_config.Name}" +
            string.Concat(_config.Tags.Select(t => $", @tag:{t}")), string.Join(",", _config.Servers), Commands.Count);
        var heartbeats = HeartbeatLoopAsync(cancellationToken);
        await _worker.RunAsync(cancellationToken);
        await heartbeats;
        Log.Stopped(_logger, _config.Name);
    }

    /// <summary>The heartbeat this agent sends now.</summary>
    public async ValueTask<Heartbeat> BuildHeartbeatAsync(CancellationToken cancellationToken = default) => new()
    {
        Host = _config.Name,
        Tags = _config.Tags,
        Plugins = Commands,
        Version = Version,
        Instance = _instance,
        IntervalS = (int)Math.Max(1, _config.HeartbeatInterval.TotalSeconds),
        Facts = FactsMapping.ToEnvelope(await _facts.CollectAsync(cancellationToken)),
    };

    private async Task HeartbeatLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_config.HeartbeatInterval);
        do
        {
            try
            {
                var beat = Envelope.Serialize(await BuildHeartbeatAsync(cancellationToken));
                // The unique coalesces heartbeats a stopped controller has not consumed: one per agent waits, not thousands.
                await _client.SubmitBackgroundAsync(_config.ResultsFunction, beat,
                    new JobOptions { Unique = _uniques.Heartbeat }, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.SendFailed(_logger, _config.ResultsFunction, e.Message);
            }
        }
        while (await WaitAsync(timer, cancellationToken));
    }

    private static async ValueTask<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async ValueTask<ReadOnlyMemory<byte>> HandleJobAsync(GearmanJobContext job, CancellationToken cancellationToken)
    {
        JobRequest request;
        try
        {
            request = Envelope.Parse<JobRequest>(job.Payload.Span);
        }
        catch (EnvelopeException e)
        {
            Log.BadRequest(_logger, job.Function, e.Message);
            var bad = new JobRequest { Id = job.Unique, Kind = DefinitionKind.Check, Name = job.Unique, Plugin = "?" };
            return Envelope.Serialize(_runner.Unknown(bad, $"unreadable request: {e.Message}"));
        }
        var result = await _runner.RunAsync(request, cancellationToken);
        var bytes = Envelope.Serialize(result);
        await ReplyAsync(request.ReplyTo, bytes, cancellationToken);
        return bytes;
    }

    private async ValueTask<ReadOnlyMemory<byte>> HandleApplyAsync(GearmanJobContext job, CancellationToken cancellationToken)
    {
        ApplyRequest request;
        try
        {
            request = Envelope.Parse<ApplyRequest>(job.Payload.Span);
        }
        catch (EnvelopeException e)
        {
            Log.BadRequest(_logger, job.Function, e.Message);
            return Envelope.Serialize(_apply.Unreadable(e.Message));
        }
        var bytes = Envelope.Serialize(await _apply.RunAsync(request, cancellationToken));
        await ReplyAsync(request.ReplyTo, bytes, cancellationToken);
        return bytes;
    }

    /// <summary>Also sends a result to <paramref name="replyTo"/> when the job asked for it; a failure there is logged, the job still answers.</summary>
    private async ValueTask ReplyAsync(string? replyTo, byte[] bytes, CancellationToken cancellationToken)
    {
        if (replyTo is not { Length: > 0 })
            return;
        try
        {
            // The unique names this host, as the heartbeat's does: a job server whose ACL limits uniques to *@{cn}
            // then vouches for the sender, and the controller refuses a message about another host.
            await _client.SubmitBackgroundAsync(replyTo, bytes, new JobOptions { Unique = _uniques.NextReply() }, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.SendFailed(_logger, replyTo, e.Message);
        }
    }

    private async ValueTask<ReadOnlyMemory<byte>> HandleFactsAsync(GearmanJobContext job, CancellationToken cancellationToken) =>
        Envelope.Serialize(await BuildHeartbeatAsync(cancellationToken));

    public async ValueTask DisposeAsync()
    {
        await _worker.DisposeAsync();
        await _client.DisposeAsync();
    }
}
