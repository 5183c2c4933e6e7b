using Microsoft.Extensions.Logging;
using Narada.Controller.Dispatch;
using Narada.Controller.Handlers;
using Narada.Controller.History;
using Narada.Controller.Hosts;
using Narada.Controller.Http;
using Narada.Controller.Intake;
using Narada.Controller.Metrics;
using Narada.Controller.Rendering;
using Narada.Controller.Rollouts;
using Narada.Controller.Scheduling;
using Narada.Controller.State;
using Narada.Core.Contracts;
using Narada.Core.Definitions;
using Narada.Core.Execution;
using Narada.Gearman.Client;
using Narada.Gearman.Worker;

namespace Narada.Controller;

/// <summary>
/// The central brain: loads definitions, schedules them with Quartz.NET, dispatches jobs to agents through Gearman,
/// consumes <c>narada.results</c> as a worker, keeps state and history, runs handlers and serves /metrics and /api.
/// </summary>
public sealed class NaradaController : IAsyncDisposable
{
    private readonly ControllerOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private DefinitionStore? _definitions;
    private HistoryStore? _history;
    private GearmanClient? _client;
    private GearmanWorker? _worker;
    private Dispatcher? _dispatcher;
    private DefinitionScheduler? _scheduler;
    private HttpApi? _http;
    private Task _workerRun = Task.CompletedTask;
    private Task _sweeper = Task.CompletedTask;
    private BackgroundWork? _reschedules;

    public NaradaController(ControllerOptions options)
    {
        _options = options;
        _logger = options.LoggerFactory.CreateLogger("narada.controller");
    }

    public ControllerMetrics Metrics { get; } = new();
    public HostRegistry Hosts { get; } = new();
    public CheckBook Checks { get; } = new();
    public SampleStore Samples { get; } = new();
    public SilenceBook Silences { get; } = new();
    public ApplyWaiters ApplyWaiters { get; } = new();
    public ApplyRollout Rollouts { get; private set; } = null!;
    public HandlerRunner Handlers => _handlers ??= new HandlerRunner(Metrics, _logger);
    public ResultIntake Intake { get; private set; } = null!;
    public DefinitionSet Definitions => _definitions?.Current ?? DefinitionSet.Empty;
    public DefinitionStore DefinitionStore => _definitions ?? throw new InvalidOperationException("controller not started");
    public HistoryStore History => _history ?? throw new InvalidOperationException("controller not started");
    public GearmanClient Client => _client ?? throw new InvalidOperationException("controller not started");

    /// <summary>The bound HTTP address (http://host:port) once started, when HTTP is enabled.</summary>
    public Uri? HttpAddress => _http?.Address;

    private HandlerRunner? _handlers;
    private int _disposed;

    /// <summary>Starts the parts in order: definitions, history, Gearman client, dispatcher, results worker, scheduler,
    /// sweeper, HTTP. When one fails the ones already started are stopped (in reverse) before the error surfaces.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await StartPartsAsync(cancellationToken);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    private async Task StartPartsAsync(CancellationToken cancellationToken)
    {
        _definitions = DefinitionStore.Open(_options.ConfigDirectory, _logger, Metrics, _options.WatchConfig);
        _history = HistoryStore.Open(Path.Combine(_options.DataDirectory, "controller.db"), _options.HistoryRetention);
        foreach (var saved in _history.LoadStates())
        {
            int attempts = Definitions.Checks.TryGetValue(saved.Check, out var c) ? c.Attempts : 1;
            Checks.Restore(CheckState.Restore(saved, attempts));
        }

        _history.InterruptUnfinishedRollouts();
        Silences.Attach(_history, DateTimeOffset.UtcNow);
        Intake = new ResultIntake(Hosts, Checks, Samples, _history, Handlers, Silences, () => Definitions, Metrics, _logger, ApplyWaiters);
        _client = new GearmanClient(new GearmanClientOptions { Servers = _options.Servers, Tls = _options.Tls });
        Rollouts = new ApplyRollout(_client, Hosts, () => Definitions,
            new TemplateRenderer(_options.ConfigDirectory, new SecretStore(_options.SecretsDirectory)), ApplyWaiters, _history, Metrics);
        _dispatcher = new Dispatcher(_client, Hosts, () => Definitions, Metrics, _logger, _options.MaxSplay, RunScheduledApplyAsync);
        Hosts.StatusChanged += OnHostStatus;
        Hosts.NameConflictFound += host => Log.NameConflict(_logger, host.Name, string.Join(", ", host.RecentInstances.Keys.Order()));

        _worker = new GearmanWorker(new GearmanWorkerOptions
        {
            Servers = _options.Servers,
            ClientId = "narada-controller",
            Tls = _options.Tls,
            Concurrency = _options.ResultConcurrency,
            Logger = _logger,
        });
        _worker.Register(FunctionNames.Results, (job, _) =>
        {
            Intake.Handle(job.Payload.Span, DateTimeOffset.UtcNow, job.Unique);
            return ValueTask.FromResult(ReadOnlyMemory<byte>.Empty);
        });
        _workerRun = _worker.RunAsync(_stop.Token);

        _scheduler = await DefinitionScheduler.StartAsync(_dispatcher.OnFireAsync, cancellationToken: cancellationToken);
        await _scheduler.ApplyAsync(Definitions, cancellationToken);
        var scheduler = _scheduler;
        _reschedules = new BackgroundWork((work, e) => Log.BackgroundFailed(_logger, work, e.ToString()));
        var reschedules = _reschedules;
        _definitions.Reloaded += set => reschedules.Start("rescheduling after a reload", stop => scheduler.ApplyAsync(set, stop));

        _sweeper = Task.Run(SweepLoopAsync, CancellationToken.None);
        if (_options.HttpListen is { } listen)
            _http = await HttpApi.StartAsync(this,
                HttpHosting.Create(listen, _options.HttpsCertificateFile, _options.HttpsKeyFile, _options.HttpsClientCaFile),
                _options.LoggerFactory, cancellationToken);
    }

    /// <summary>Writes everything /metrics shows: the controller's counters, check and agent state, agent series.</summary>
    public async Task WriteMetricsAsync(Stream output, CancellationToken cancellationToken = default)
    {
        await Metrics.Registry.CollectAndExportAsTextAsync(output, cancellationToken);
        // Built in memory first: response streams refuse the synchronous writes a TextWriter makes.
        var text = new StringWriter { NewLine = "\n" };
        ExpositionWriter.Write(text, StateExposition.Samples(Checks, Hosts).Concat(Samples.All()));
        await output.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text.ToString()), cancellationToken);
    }

    /// <summary>A scheduled apply (<c>every</c>) corrects drift with a real rollout; its outcome lands in history and metrics.</summary>
    private async ValueTask RunScheduledApplyAsync(string apply, CancellationToken cancellationToken)
    {
        await foreach (var e in Rollouts.RunAsync(new RolloutRequest(apply), cancellationToken))
            if (e.Outcome is { } outcome && outcome.IsFailure())
                Log.ApplyProblem(_logger, apply, e.Host ?? "", e.Path ?? "", outcome.Name(), e.Message ?? "");
    }

    private void OnHostStatus(HostRecord host)
    {
        Log.HostStatus(_logger, host.Name, host.Status == HostStatus.Up ? "up" : "down");
        if (host.Status == HostStatus.Up)
            _dispatcher?.OnHostUp(host);
    }

    private async Task SweepLoopAsync()
    {
        using var timer = new PeriodicTimer(_options.SweepInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                var now = DateTimeOffset.UtcNow;
                Hosts.Sweep(now);
                foreach (var gone in Hosts.SilentSince(now - _options.ForgetHostsAfter))
                    Forget(gone);
                Intake.SweepStale(now);
                Samples.Expire(now - TimeSpan.FromMinutes(10));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Removes a host with its checks and series, as when it was decommissioned.</summary>
    public void Forget(string host)
    {
        Hosts.Remove(host);
        Checks.RemoveWhere((_, h) => h == host);
        Samples.RemoveHost(host);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return; // disposing twice is allowed, as for any IAsyncDisposable
        await _stop.CancelAsync();
        if (_http is not null)
            await _http.DisposeAsync();
        if (_reschedules is not null)
            await _reschedules.DisposeAsync();
        if (_scheduler is not null)
            await _scheduler.DisposeAsync();
        if (_dispatcher is not null)
            await _dispatcher.DisposeAsync();
        await _sweeper;
        try
        {
            await _workerRun;
        }
        catch (OperationCanceledException)
        {
        }
        if (_worker is not null)
            await _worker.DisposeAsync();
        if (_handlers is not null)
            await _handlers.DisposeAsync(); // before history: a handler's end may still be written
        if (_client is not null)
            await _client.DisposeAsync();
        if (_history is not null)
            await _history.DisposeAsync();
        _definitions?.Dispose();
        _stop.Dispose();
    }
}
