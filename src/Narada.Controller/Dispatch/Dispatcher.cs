using Microsoft.Extensions.Logging;
using Narada.Controller.Hosts;
using Narada.Controller.Metrics;
using Narada.Controller.Scheduling;
using Narada.Core.Contracts;
using Narada.Core.Definitions;
using Narada.Core.Execution;
using Narada.Gearman.Client;

namespace Narada.Controller.Dispatch;

/// <summary>
/// Turns a definition's firing into background jobs, one per matching live host (or one per tag pool), each released
/// at the host's splay offset and submitted with the unique <c>kind/name@host</c> so the job server coalesces a run
/// that an agent has not picked up yet.
/// </summary>
public sealed class Dispatcher : IAsyncDisposable
{
    private readonly GearmanClient _client;
    private readonly HostRegistry _hosts;
    private readonly Func<DefinitionSet> _definitions;
    private readonly ControllerMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeSpan _maxSplay;
    private readonly DelayQueue<DispatchItem> _queue;
    private readonly SemaphoreSlim _inFlight = new(256, 256);

    private readonly Func<string, CancellationToken, ValueTask>? _runApply;
    private readonly BackgroundWork _applies;
    private readonly Func<string, long, bool>? _claim;
    private readonly Func<string, string, DateTimeOffset?>? _lastResult;

    /// <param name="claim">In a cluster: claims (what, interval slot) for this member, false when another has it;
    /// every member fires on the same slots and only the claim's winner dispatches. Null: this controller is alone.</param>
    /// <param name="lastResult">When a check's last result on a host came (null: never), so a host that comes back
    /// after a short silence does not run again what has just run.</param>
    public Dispatcher(GearmanClient client, HostRegistry hosts, Func<DefinitionSet> definitions, ControllerMetrics metrics,
        ILogger logger, TimeSpan? maxSplay = null, Func<string, CancellationToken, ValueTask>? runApply = null,
        Func<string, long, bool>? claim = null, Func<string, string, DateTimeOffset?>? lastResult = null)
    {
        _lastResult = lastResult;
        _runApply = runApply;
        _claim = claim;
        _applies = new BackgroundWork((apply, e) => Log.BackgroundFailed(logger, $"scheduled apply {apply}", e.ToString()));
        _client = client;
        _hosts = hosts;
        _definitions = definitions;
        _metrics = metrics;
        _logger = logger;
        _maxSplay = maxSplay ?? TimeSpan.FromMinutes(5);
        _queue = new DelayQueue<DispatchItem>(SubmitAsync);
    }

    /// <summary>A definition fired: plan its jobs, each at its host's offset inside the interval.</summary>
    public ValueTask OnFireAsync(DefinitionKey key, DateTimeOffset fireTime)
    {
        _metrics.Firings.WithLabels(key.KindName).Inc();
        var set = _definitions();
        if (key.Kind == DefinitionKind.Apply)
        {
            // A rollout is one piece of work: claimed as a whole when it fires.
            if (!Claimed(key.ToString(), SlotOf(set.Applies.GetValueOrDefault(key.Name)?.Schedule, fireTime)))
                return ValueTask.CompletedTask;
            // Rollouts pace themselves batch by batch; run it beside the scheduler, not inside its thread.
            if (_runApply is { } run)
                _applies.Start(key.Name, stop => run(key.Name, stop).AsTask());
            return ValueTask.CompletedTask;
        }
        if (Describe(set, key) is not { } definition)
            return ValueTask.CompletedTask;
        var window = Min(definition.Schedule.NominalInterval, _maxSplay);
        long slot = SlotOf(definition.Schedule, fireTime);
        // In a cluster every member plans every job; each job is claimed when it is due (below), so a member that
        // dies in the middle of a splayed interval leaves its remaining jobs to the others, not undone.
        var splayKey = key.ToString();
        foreach (var item in Plan(key, definition, set, _hosts.All, slot))
            _queue.Enqueue(item, fireTime + Splay.Offset(splayKey, item.Target, window));
        _metrics.Pending.Set(_queue.Count);
        return ValueTask.CompletedTask;
    }

    /// <summary>A host came up: run everything that targets it now instead of waiting a whole interval.</summary>
    public void OnHostUp(HostRecord host)
    {
        var set = _definitions();
        var now = DateTimeOffset.UtcNow;
        foreach (var key in set.Checks.Keys.Select(n => new DefinitionKey(DefinitionKind.Check, n))
                     .Concat(set.Collectors.Keys.Select(n => new DefinitionKey(DefinitionKind.Collector, n))))
        {
            if (Describe(set, key) is not { } definition || definition.Targets.RoundRobin)
                continue;
            // A host back after a short silence (heartbeats lost while a cluster member died, say): what ran within its
            // interval is not run again now; the schedule goes on.
            if (key.Kind == DefinitionKind.Check && _lastResult?.Invoke(key.Name, host.Name) is { } last && now - last < definition.Schedule.NominalInterval)
                continue;
            foreach (var item in Plan(key, definition, set, [host], SlotOf(definition.Schedule, now)))
                _queue.Enqueue(item, now);
        }
    }

    /// <summary>
    /// Runs check <paramref name="check"/> on <paramref name="host"/> now, outside its schedule (an operator's "run
    /// now", or a retry while the state is soft); its result comes back through narada.results like any other. Returns
    /// why it cannot, or null once it is queued. Not claimed in a cluster: the member asked runs it.
    /// </summary>
    public string? RunNow(string check, string host)
    {
        var set = _definitions();
        var key = new DefinitionKey(DefinitionKind.Check, check);
        if (Describe(set, key) is not { } definition)
            return $"no check '{check}' in the definitions";
        if (!_hosts.TryGet(host, out var record))
            return $"no host '{host}' has checked in";
        if (record.Status != HostStatus.Up)
            return $"{host} is down: its agent is silent";
        if (!definition.Targets.Matches(host, set.TagsOf(host, record.Tags)))
            return $"check '{check}' does not target {host}";
        var now = DateTimeOffset.UtcNow;
        _queue.Enqueue(new DispatchItem(key, host, definition, now, NotClaimed), now);
        return null;
    }

    /// <summary>The slot of a job no member of a cluster needs to claim (see <see cref="RunNow"/>).</summary>
    private const long NotClaimed = -1;

    /// <summary>Builds the request that runs <paramref name="key"/> on <paramref name="target"/> (also used by <c>narada run</c>).</summary>
    public static JobRequest BuildRequest(DefinitionKey key, DefinitionShape definition, string target, DateTimeOffset scheduledAt,
        string? replyTo = FunctionNames.Results) => new()
        {
            Id = $"{key}@{target}/{scheduledAt.ToUnixTimeMilliseconds()}",
            Kind = key.Kind,
            Name = key.Name,
            Plugin = definition.Plugin,
            Params = definition.Params,
            TimeoutMs = definition.Timeout is { } t ? (int)t.TotalMilliseconds : null,
            ReplyTo = replyTo,
            ScheduledAt = scheduledAt,
        };

    private IEnumerable<DispatchItem> Plan(DefinitionKey key, DefinitionShape definition, DefinitionSet set, IEnumerable<HostRecord> hosts,
        long slot)
    {
        var now = DateTimeOffset.UtcNow;
        if (definition.Targets.PoolTag is { } tag)
        {
            yield return new DispatchItem(key, DispatchItem.PoolPrefix + tag, definition, now, slot);
            yield break;
        }
        foreach (var host in hosts)
        {
            if (host.Status != HostStatus.Up || !definition.Targets.Matches(host.Name, set.TagsOf(host.Name, host.Tags)))
                continue;
            yield return new DispatchItem(key, host.Name, definition, now, slot);
        }
    }

    private async ValueTask SubmitAsync(DispatchItem item)
    {
        _metrics.Pending.Set(_queue.Count);
        var unique = item.Unique;
        if (item.Slot != NotClaimed && !Claimed(unique, item.Slot))
            return;
        await _inFlight.WaitAsync();
        _ = Task.Run(async () =>
        {
            var function = item.Function;
            try
            {
                await _client.SubmitBackgroundAsync(function, item.Payload(), new JobOptions { Unique = unique });
                _metrics.Dispatched.WithLabels(item.Key.KindName).Inc();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _metrics.DispatchErrors.WithLabels(item.Key.KindName).Inc();
                Log.DispatchFailed(_logger, function, unique, e.Message);
            }
            finally
            {
                _inFlight.Release();
            }
        });
    }

    private static DefinitionShape? Describe(DefinitionSet set, DefinitionKey key) => key.Kind switch
    {
        DefinitionKind.Check when set.Checks.TryGetValue(key.Name, out var c) =>
            new DefinitionShape(c.Plugin, c.Params, c.Schedule, c.Targets, c.Timeout),
        DefinitionKind.Collector when set.Collectors.TryGetValue(key.Name, out var c) =>
            new DefinitionShape(c.Plugin, c.Params, c.Schedule, c.Targets, c.Timeout),
        _ => null,
    };

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;


    /// <summary>
    /// The interval <paramref name="at"/> falls in: <c>every:</c> intervals are counted from the Unix epoch, so every
    /// member's firing of one interval names the same slot whenever it started; a cron firing's slot is its minute.
    /// </summary>
    private static long SlotOf(Schedule? schedule, DateTimeOffset at)
    {
        long ms = at.ToUnixTimeMilliseconds();
        return schedule?.Every is { } every && every > TimeSpan.Zero ? ms / (long)every.TotalMilliseconds : ms / 60_000;
    }

    /// <summary>
    /// Alone, always. In a cluster, when this member wins the claim for (<paramref name="what"/>, <paramref name="slot"/>).
    /// A store that cannot be reached claims nothing: better a run missed (and counted) than one run twice.
    /// </summary>
    private bool Claimed(string what, long slot)
    {
        if (_claim is null)
            return true;
        try
        {
            if (_claim(what, slot))
                return true;
            _metrics.ClaimsLost.Inc();
            return false;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            _metrics.DispatchErrors.WithLabels("claim").Inc();
            Log.DispatchFailed(_logger, what, $"slot {slot}", $"cannot claim the firing in the store: {e.Message}");
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _applies.DisposeAsync();
        await _queue.DisposeAsync();
        for (int i = 0; i < 256; i++)
            await _inFlight.WaitAsync();
    }
}

/// <summary>What checks and collectors have in common for dispatch.</summary>
public sealed record DefinitionShape(string Plugin, IReadOnlyDictionary<string, string> Params, Schedule Schedule, Targets Targets,
    TimeSpan? Timeout);
