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
using Narada.Controller.Store;
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
    private Metrics.RemoteWrite.RemoteWriter? _remoteWriter;
    private Task _workerRun = Task.CompletedTask;
    private Task _sweeper = Task.CompletedTask;
    private Task _answers = Task.CompletedTask;
    private BackgroundWork? _reschedules;
    private ClusterStore? _cluster;

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

    /// <summary>Problems someone took in hand: their handlers do not repeat or escalate.</summary>
    public AckBook Acks { get; } = new();
    public ChangeFeed Changes { get; } = new();

    /// <summary>The job servers this controller dispatches through.</summary>
    public IReadOnlyList<Narada.Gearman.Transport.ServerAddress> JobServers => _options.Servers;
    public ApplyWaiters ApplyWaiters { get; } = new();
    public ApplyRollout Rollouts { get; private set; } = null!;
    public HandlerRunner Handlers => _handlers ??= new HandlerRunner(Metrics, _logger);
    public ResultIntake Intake { get; private set; } = null!;
    public DefinitionSet Definitions => _definitions?.Current ?? DefinitionSet.Empty;
    public DefinitionStore DefinitionStore => _definitions ?? throw new InvalidOperationException("controller not started");
    public HistoryStore History => _history ?? throw new InvalidOperationException("controller not started");
    public GearmanClient Client => _client ?? throw new InvalidOperationException("controller not started");

    /// <summary>The users file in force (<see cref="ControllerOptions.UsersFile"/>); null: no users, the loopback rules.</summary>
    public Access.UserDirectory? Users { get; private set; }

    /// <summary>Failed sign-ins per user and address, which hold further attempts back for a while.</summary>
    public Access.LoginThrottle LoginThrottle { get; } = new(TimeProvider.System);

    /// <summary>Reads the users file again (SIGHUP). One that does not load is logged and the users in force stay;
    /// sessions of users no longer in the file end. Returns whether it loaded.</summary>
    public bool ReloadUsers()
    {
        if (Users is not { } users)
            return true;
        var before = users.Current;
        var errors = users.Reload();
        if (errors.Count > 0)
        {
            Log.UsersNotReloaded(_logger, users.Path, string.Join("\n", errors));
            return false;
        }
        foreach (var gone in before.Users.Where(u => users.ByName(u.Name) is null))
            History.EndSessionsOf(gone.Name);
        return true;
    }

    /// <summary>Runs a check on a host now (see <see cref="Dispatcher.RunNow"/>): why it cannot, or null once queued.</summary>
    public string? RunNow(string check, string host) => _dispatcher is { } dispatcher ? dispatcher.RunNow(check, host) : "the controller is not running";

    /// <summary>
    /// Acknowledges the problem of <paramref name="check"/> on <paramref name="host"/>: why it cannot (no such check
    /// state, or it is OK), or null. Recorded as an event.
    /// </summary>
    public string? Acknowledge(string check, string host, string author, string comment, bool sticky)
    {
        if (!Checks.TryGet(check, host, out var entry))
            return $"no state for check '{check}' on {host}";
        var status = entry.State.Status;
        if (status == Narada.Core.Formats.CheckStatus.Ok)
            return $"nothing to acknowledge: {check} on {host} is OK";
        var now = DateTimeOffset.UtcNow;
        Acks.Add(new Acknowledgement(check, host, author, comment, sticky, now, entry.State.HardStatus == Narada.Core.Formats.CheckStatus.Ok ? status : entry.State.HardStatus));
        History.Add(new EventRecord(now, "acknowledged", check, host, status, status, entry.State.Type.ToString(), entry.State.Attempt,
            $"{author}{(sticky ? " (sticky)" : "")}: {comment}"));
        Changes.Bump();
        return null;
    }

    /// <summary>Why the handlers of a check on a host are held now (silenced, a parent down), or null.</summary>
    public string? HeldBy(string check, string host)
    {
        var set = Definitions;
        var tags = set.TagsOf(host, Hosts.TryGet(host, out var h) ? h.Tags : []);
        return Intake.Notifications.HeldBy(set.Checks.GetValueOrDefault(check), check, host, tags, DateTimeOffset.UtcNow);
    }

    /// <summary>How long a dashboard login lasts.</summary>
    public TimeSpan SessionLifetime => _options.SessionLifetime;

    /// <summary>Whether the HTTP endpoint serves HTTPS (session cookies are then marked Secure).</summary>
    public bool ServesHttps => _options.HttpsCertificateFile is not null;

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
        if (_options.UsersFile is { } usersFile)
            Users = new Access.UserDirectory(usersFile);
        _definitions = DefinitionStore.Open(_options.ConfigDirectory, _logger, Metrics, _options.WatchConfig);
        _history = HistoryStore.Open(_options.Store ?? StoreLocation.Sqlite(Path.Combine(_options.DataDirectory, "controller.db")),
            _options.HistoryRetention);
        _history.WriteFailed += reason => Log.BackgroundFailed(_logger, "history", reason);
        if (_history.Postgres is { } shared)
        {
            _cluster = new ClusterStore(shared, _options.MemberTimeout);
            // Taking a result in a cluster waits on PostgreSQL on the worker's thread (synchronous Npgsql calls); the
            // thread pool would otherwise add threads for those waits one a second, and results would queue behind
            // them at start. Room for every result handler and the pool's own work.
            ThreadPool.GetMinThreads(out var workers, out var io);
            ThreadPool.SetMinThreads(Math.Max(workers, _options.ResultConcurrency * Math.Max(1, _options.Servers.Count) + Environment.ProcessorCount * 2), io);
            _cluster.CheckIn("starting", DateTimeOffset.UtcNow);
            RefreshFromCluster(_cluster, sinceMs: 0);
            Log.StoreOpened(_logger, _history.Location.Describe(),
                $"cluster member {_cluster.Id}, {(_cluster.IsLeader ? "leading" : "not leading")}");
        }
        else
        {
            foreach (var saved in _history.LoadStates())
                Checks.Restore(CheckState.Restore(saved, AttemptsOf(saved.Check)));
            // Alone, a rollout still "running" in the store is one this controller was running when it stopped.
            _history.InterruptUnfinishedRollouts();
            Log.StoreOpened(_logger, _history.Location.Describe(), "alone (sqlite)");
        }
        Silences.Attach(_history, DateTimeOffset.UtcNow);
        Acks.Attach(_history);
        Intake = new ResultIntake(Hosts, Checks, Samples, _history, Handlers, Silences, Acks, () => Definitions, Metrics, _logger, ApplyWaiters,
            _cluster, Changes);
        _client = new GearmanClient(new GearmanClientOptions { Servers = _options.Servers, Tls = _options.Tls });
        var cluster = _cluster;
        Rollouts = new ApplyRollout(_client, Hosts, () => Definitions,
            new TemplateRenderer(_options.ConfigDirectory, new SecretStore(_options.SecretsDirectory)), ApplyWaiters, _history, Metrics,
            cluster is null ? null : (id, request) => cluster.StartRollout(id, request.Apply,
                System.Text.Json.JsonSerializer.Serialize(request, RolloutJsonContext.Default.RolloutRequest), request.DryRun, DateTimeOffset.UtcNow));
        _dispatcher = new Dispatcher(_client, Hosts, () => Definitions, Metrics, _logger, _options.MaxSplay, RunScheduledApplyAsync,
            cluster is null ? null : (what, slot) => cluster.TryClaim(what, slot, DateTimeOffset.UtcNow),
            lastResult: (check, host) => Checks.TryGet(check, host, out var entry) ? entry.State.LastResult : null);
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
        _worker.Register(FunctionNames.Results, async (job, cancellationToken) =>
        {
            // A cluster's store that is away (PostgreSQL restarting) is waited for with the job held: the results
            // behind it stay queued in the job server, and this one is taken in once the store is back.
            for (int attempt = 0; ; attempt++)
            {
                try
                {
                    Intake.Handle(job.Payload.Span, DateTimeOffset.UtcNow, job.Unique);
                    // WORK_COMPLETE makes the job server forget the result, so it is sent only once the store holds
                    // it: the history is written behind, and a kill -9 before that write lost results the job server
                    // had already let go (bench/Narada.Chaos controller-kill). The results in flight share each commit.
                    // A cluster's store took the result in Handle itself.
                    if (_cluster is null)
                        await History.FlushAsync();
                    return ReadOnlyMemory<byte>.Empty;
                }
                catch (Exception e) when (_cluster is not null && e is System.Data.Common.DbException or TimeoutException)
                {
                    if (attempt == 0)
                        Log.BackgroundFailed(_logger, "taking in a result (the store is away; holding it until the store is back)", e.Message);
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 100 << Math.Min(attempt, 6))), cancellationToken);
                }
            }
        });
        _workerRun = _worker.RunAsync(_stop.Token);

        _scheduler = await DefinitionScheduler.StartAsync(_dispatcher.OnFireAsync, cancellationToken: cancellationToken);
        await _scheduler.ApplyAsync(Definitions, cancellationToken);
        var scheduler = _scheduler;
        _reschedules = new BackgroundWork((work, e) => Log.BackgroundFailed(_logger, work, e.ToString()));
        var reschedules = _reschedules;
        _definitions.Reloaded += set => reschedules.Start("rescheduling after a reload", stop => scheduler.ApplyAsync(set, stop));

        _sweeper = Task.Run(SweepLoopAsync, CancellationToken.None);
        if (_cluster is not null)
            _answers = Task.Run(() => ApplyAnswersLoopAsync(_cluster), CancellationToken.None);
        if (_options.HttpListen is { } listen)
        {
            Log.AccessMode(_logger, Users is { } known
                ? $"users from {known.Path} ({known.Current.Users.Count}); nothing is served without a token, session or known client certificate"
                : _options.HttpsClientCaFile is null
                    ? "no --users file: reading is open to whoever can connect, changes are taken from loopback only"
                    : "no --users file: reading is open to whoever can connect, changes from loopback or a client certificate from the --http-client-ca CA");
            _http = await HttpApi.StartAsync(this,
                HttpHosting.Create(listen, _options.HttpsCertificateFile, _options.HttpsKeyFile, _options.HttpsClientCaFile),
                _options.LoggerFactory, cancellationToken);
        }
        if (_options.RemoteWrite is { } target)
            _remoteWriter = new Metrics.RemoteWrite.RemoteWriter(target, () => FleetSamples(), () => _cluster is null or { IsLeader: true }, Metrics,
                _options.LoggerFactory.CreateLogger("narada.remote_write"));
        if (_cluster is not null)
        {
            _cluster.Address = HttpAddress?.ToString() ?? "";
            _cluster.CheckIn("serving", DateTimeOffset.UtcNow);
        }
    }

    /// <summary>
    /// Writes everything /metrics shows: the controller's counters, check and agent state, agent series. In a cluster
    /// only the leader writes the fleet's series, so Prometheus scraping every member counts each once; the others
    /// write their own counters alone.
    /// </summary>
    public async Task WriteMetricsAsync(Stream output, CancellationToken cancellationToken = default, MetricsShard? shard = null)
    {
        if (shard is null or { Index: 0 })
            await Metrics.Registry.CollectAndExportAsTextAsync(output, cancellationToken);
        if (_cluster is { IsLeader: false })
            return;
        // Built in memory first (response streams refuse the synchronous writes a TextWriter makes), as UTF-8 bytes
        // straight away: at 10,000 hosts the page is over 100 MiB, and a string of it would be twice that, then copied.
        using var page = new MemoryStream();
        using (var text = new StreamWriter(page, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16, leaveOpen: true) { NewLine = "\n" })
            ExpositionWriter.Write(text, FleetSamples(shard is null ? null : shard.Holds));
        page.Position = 0;
        await page.CopyToAsync(output, cancellationToken);
    }

    /// <summary>The fleet's series (check states, agents, the agents' own series), of the hosts <paramref name="holds"/>
    /// admits when given: what /metrics shows and remote write sends.</summary>
    public IEnumerable<Narada.Core.Metrics.Sample> FleetSamples(Func<string, bool>? holds = null) =>
        StateExposition.Samples(Checks, Hosts, Acks, holds, check => Definitions.Checks.GetValueOrDefault(check)?.Drop)
            .Concat(holds is null ? Samples.All() : Samples.Of(holds));

    /// <summary>A scheduled apply (<c>every</c>) corrects drift with a real rollout; its outcome lands in history and metrics.</summary>
    private async ValueTask RunScheduledApplyAsync(string apply, CancellationToken cancellationToken)
    {
        await foreach (var e in Rollouts.RunAsync(new RolloutRequest(apply), cancellationToken))
            if (e.Outcome is { } outcome && outcome.IsFailure())
                Log.ApplyProblem(_logger, apply, e.Host ?? "", e.Path ?? "", outcome.Name(), e.Message ?? "");
    }

    private void OnHostStatus(HostRecord host)
    {
        // A host another member saw come up (taken from the store) was that member's to run now, not this one's.
        if (_refreshing)
            return;
        Log.HostStatus(_logger, host.Name, host.Status == HostStatus.Up ? "up" : "down");
        if (host.Status == HostStatus.Up)
            _dispatcher?.OnHostUp(host);
    }

    [ThreadStatic]
    private static bool _refreshing; // set on the sweep thread only, while it takes hosts from the store

    private async Task SweepLoopAsync()
    {
        using var timer = new PeriodicTimer(_options.SweepInterval);
        var expired = DateTimeOffset.MinValue;
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                var now = DateTimeOffset.UtcNow;
                if (_cluster is { } cluster && !ClusterTick(cluster, now))
                    continue;
                Hosts.Sweep(now);
                // In a cluster the leader alone decides what is stale or gone, so it is reported once.
                if (_cluster is null or { IsLeader: true })
                {
                    foreach (var gone in Hosts.SilentSince(now - _options.ForgetHostsAfter))
                        Forget(gone);
                    Intake.SweepStale(now);
                    Intake.SweepNotifications(now);
                    foreach (var (check, host) in Intake.DueRetries(now))
                        _dispatcher?.RunNow(check, host);
                }
                // Reports are kept 10 minutes: walking every host's reports once a minute is soon enough to drop them.
                if (now - expired >= TimeSpan.FromMinutes(1))
                {
                    Samples.Expire(now - TimeSpan.FromMinutes(10));
                    expired = now;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>In a cluster: takes the apply answers other members left in the store for this member's rollouts.</summary>
    private async Task ApplyAnswersLoopAsync(ClusterStore cluster)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                var waiting = ApplyWaiters.Rollouts;
                if (waiting.Count == 0)
                    continue;
                try
                {
                    foreach (var answer in cluster.TakeApplyAnswers(waiting))
                        if (!ApplyWaiters.Complete(answer))
                            _history!.Add(new RolloutHostRecord(answer.RolloutId, DateTimeOffset.UtcNow, answer.Host, answer.Path,
                                answer.Outcome, "late: " + answer.Message));
                }
                catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
                {
                    Log.BackgroundFailed(_logger, "taking apply answers from the store", e.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private long _refreshedMs;

    /// <summary>Checks in with the cluster and takes what the other members changed; false when the store is away.</summary>
    private bool ClusterTick(ClusterStore cluster, DateTimeOffset now)
    {
        try
        {
            cluster.CheckIn(cluster.IsLeader ? "leading: exports fleet series, sweeps" : "serving", now);
            Metrics.ClusterMembers.Set(cluster.Members(now).Count);
            Metrics.ClusterLeader.Set(cluster.IsLeader ? 1 : 0);
            // A little overlap: a transaction that began before the last refresh may have committed after it.
            RefreshFromCluster(cluster, Math.Max(0, _refreshedMs - 5_000));
            Silences.Reload(_history!.LoadSilences(now));
            Acks.Reload(_history.LoadAcks());
            Changes.Bump();
            if (cluster.IsLeader)
            {
                cluster.PruneFirings(now, TimeSpan.FromMinutes(10)); // a slot is claimed within its interval or never
                ResumeOrphanedRollouts(cluster, now);
            }
            return true;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            Metrics.ClusterLeader.Set(0);
            Log.BackgroundFailed(_logger, "cluster check-in", e.Message);
            return false;
        }
    }

    /// <summary>
    /// The leader finishes the rollouts of members that died: the same rollout, the hosts already reached left alone.
    /// A dry run is not worth finishing (nobody reads its stream any more): it is marked interrupted.
    /// </summary>
    private void ResumeOrphanedRollouts(ClusterStore cluster, DateTimeOffset now)
    {
        foreach (var (id, json, dryRun, done) in cluster.AdoptOrphanedRollouts(now))
        {
            var request = System.Text.Json.JsonSerializer.Deserialize(json, RolloutJsonContext.Default.RolloutRequest);
            if (dryRun || request is null)
            {
                _history!.Add(new RolloutRecord(id, request?.Apply ?? "", now, RolloutStatus.Interrupted, dryRun));
                continue;
            }
            Log.RolloutResumed(_logger, id, request.Apply, done.Count);
            _reschedules!.Start($"resuming rollout {id}", async stop =>
            {
                await foreach (var e in Rollouts.RunAsync(request, stop, new RolloutResume(id, done.ToHashSet(StringComparer.Ordinal))))
                    if (e.Outcome is { } outcome && outcome.IsFailure())
                        Log.ApplyProblem(_logger, request.Apply, e.Host ?? "", e.Path ?? "", outcome.Name(), e.Message ?? "");
            });
        }
    }

    /// <summary>Takes hosts, check states and (on the leader) series changed in the store since <paramref name="sinceMs"/>.</summary>
    private void RefreshFromCluster(ClusterStore cluster, long sinceMs)
    {
        var started = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        _refreshing = true;
        try
        {
            foreach (var host in cluster.HostsChangedSince(sinceMs))
            {
                if (Hosts.TryGet(host.Name, out var known) && known.LastHeartbeat >= host.Heartbeat)
                    continue;
                Hosts.Heartbeat(host.Name, host.Tags, host.Plugins, host.Facts, host.Version, host.Interval, host.Heartbeat, host.Instance);
            }
        }
        finally
        {
            _refreshing = false;
        }
        foreach (var check in cluster.ChecksChangedSince(sinceMs, AttemptsOf))
        {
            if (Checks.TryGet(check.State.Check, check.State.Host, out var known) && known.State.LastResult > check.State.LastResult)
                continue;
            Checks.Put(check);
        }
        if (cluster.IsLeader)
            foreach (var (host, source, at, series) in cluster.SamplesChangedSince(sinceMs))
                Samples.Replace(host, source, series, at);
        _refreshedMs = started;
    }

    private int AttemptsOf(string check) => Definitions.Checks.TryGetValue(check, out var c) ? c.Attempts : 1;

    /// <summary>The cluster's members as the store knows them; alone, this controller.</summary>
    public IReadOnlyList<ClusterMember> Members()
    {
        var now = DateTimeOffset.UtcNow;
        return _cluster is { } cluster
            ? cluster.Members(now)
            : [new ClusterMember("local", HttpAddress?.ToString() ?? "", _started, now, "serving (sqlite: alone)", Leader: true)];
    }

    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;

    /// <summary>Removes a host with its checks and series, as when it was decommissioned.</summary>
    public void Forget(string host)
    {
        Hosts.Remove(host);
        Checks.RemoveWhere((_, h) => h == host);
        Samples.RemoveHost(host);
        _cluster?.ForgetHost(host);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return; // disposing twice is allowed, as for any IAsyncDisposable
        await _stop.CancelAsync();
        if (_remoteWriter is not null)
            await _remoteWriter.DisposeAsync();
        if (_http is not null)
            await _http.DisposeAsync();
        if (_reschedules is not null)
            await _reschedules.DisposeAsync();
        if (_scheduler is not null)
            await _scheduler.DisposeAsync();
        if (_dispatcher is not null)
            await _dispatcher.DisposeAsync();
        await _sweeper;
        await _answers;
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
        if (_cluster is not null)
            await _cluster.DisposeAsync();
        if (_history is not null)
            await _history.DisposeAsync();
        _definitions?.Dispose();
        _stop.Dispose();
    }
}
