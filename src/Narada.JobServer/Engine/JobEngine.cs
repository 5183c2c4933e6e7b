using System.Buffers.Text;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Narada.Gearman.Protocol;
using Narada.JobServer.Metrics;
using Narada.JobServer.Persistence;

namespace Narada.JobServer.Engine;

/// <summary>
/// The job tables: functions, jobs by handle and by unique key, scheduled jobs. One lock guards them all (the server runs
/// on few cores and every operation here is short); sessions do their socket I/O outside it.
/// </summary>
internal sealed partial class JobEngine : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, FunctionQueue> _functions = new(StringComparer.Ordinal);
    private readonly Dictionary<long, Job> _jobs = [];
    private readonly Dictionary<UniqueKey, Job> _uniques = [];
    private readonly HashSet<Peer> _peers = [];
    private readonly PriorityQueue<Job, long> _scheduled = new();
    private readonly Timer _scheduleTimer;
    private readonly byte[] _handlePrefix;
    private readonly int _jobRetries;
    private readonly SqliteJobStore? _store;
    private readonly JobServerMetrics _metrics;
    private readonly ILogger _logger;
    private readonly bool _exceptionsByDefault;
    private long _nextHandle;
    private long _nextPeerId;

    /// <param name="exceptionsByDefault">Every client gets WORK_EXCEPTION as if it had asked with OPTION_REQ (gearmand
    /// <c>--exceptions</c>); otherwise only those that asked do, and the others get WORK_FAIL.</param>
    public JobEngine(string handlePrefix, int jobRetries, SqliteJobStore? store, JobServerMetrics metrics, ILogger logger,
        bool exceptionsByDefault = false)
    {
        _handlePrefix = WireText.Encode(handlePrefix + ":");
        _jobRetries = jobRetries;
        _exceptionsByDefault = exceptionsByDefault;
        _store = store;
        _metrics = metrics;
        _logger = logger;
        _scheduleTimer = new Timer(_ => ReleaseScheduled());
    }

    public int ConnectionCount { get { lock (_gate) return _peers.Count; } }

    public Peer Connect(string remoteAddress, Sessions.Outbox outbox)
    {
        lock (_gate)
        {
            var peer = new Peer(++_nextPeerId, remoteAddress, outbox) { WantsExceptions = _exceptionsByDefault };
            _peers.Add(peer);
            return peer;
        }
    }

    /// <summary>A connection closed: its running jobs go back to the queue, its waits end, its abilities go.</summary>
    public void Disconnect(Peer peer)
    {
        lock (_gate)
        {
            if (!_peers.Remove(peer))
                return;
            peer.Closed = true;
            foreach (var job in peer.Watching)
                job.Clients.Remove(peer);
            peer.Watching.Clear();
            foreach (var job in peer.Holding.ToArray())
                Requeue(job, "worker disconnected");
            Wake(peer, false);
            foreach (var ability in peer.Abilities)
            {
                ability.Function.WorkerCount--;
                // It may have been the one woken for a job it never grabbed: hand that wake-up to another sleeper.
                if (ability.Function.QueuedTotal > 0)
                    WakeOneSleeper(ability.Function);
            }
            peer.Abilities.Clear();
        }
    }

    /// <summary>Loads persisted background jobs at start; they keep their unique key and EPOCH time.</summary>
    public void Restore(IEnumerable<StoredJob> stored)
    {
        lock (_gate)
        {
            foreach (var s in stored)
            {
                var function = Function(s.Function);
                var key = UniqueKey.For(s.Function, s.Unique, s.Data);
                if (key is { } k && _uniques.ContainsKey(k))
                {
                    _store?.Remove(s.Id);
                    continue;
                }
                var job = new Job(NewHandle(), function, s.Unique, s.Data, s.Priority, background: true)
                {
                    Key = key,
                    RunAt = s.RunAt,
                    StoreId = s.Id,
                };
                Add(job);
            }
        }
    }

    public void Dispose() => _scheduleTimer.Dispose();

    /// <summary>The next handle, <c>prefix:number</c>, written straight as bytes.</summary>
    private JobHandle NewHandle()
    {
        long number = ++_nextHandle;
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(number, digits, out int length);
        var bytes = new byte[_handlePrefix.Length + length];
        _handlePrefix.CopyTo(bytes, 0);
        digits[..length].CopyTo(bytes.AsSpan(_handlePrefix.Length));
        return new JobHandle(number, bytes);
    }

    /// <summary>
    /// The job a handle names, read without making a string of it: the server's own prefix, a colon, and the number
    /// exactly as it was written (no sign, no leading zero), else none, as gearmand compares handles as strings.
    /// </summary>
    private Job? FindJob(ReadOnlySpan<byte> handle)
    {
        if (!handle.StartsWith(_handlePrefix))
            return null;
        var digits = handle[_handlePrefix.Length..];
        if (digits.IsEmpty || digits.Length > 18 || digits[0] is < (byte)'1' or > (byte)'9')
            return null;
        long number = 0;
        foreach (byte b in digits)
        {
            if (b is < (byte)'0' or > (byte)'9')
                return null;
            number = number * 10 + (b - '0');
        }
        return _jobs.GetValueOrDefault(number);
    }

    private FunctionQueue Function(string name)
    {
        if (!_functions.TryGetValue(name, out var function))
        {
            function = new FunctionQueue(name);
            _functions.Add(name, function);
        }
        return function;
    }

    /// <summary>Registers a new job and queues it now or at its EPOCH time.</summary>
    private void Add(Job job)
    {
        _jobs.Add(job.Number, job);
        if (job.Key is { } key)
            _uniques[key] = job;
        if (job.RunAt > 0 && job.RunAt > DateTimeOffset.UtcNow.ToUnixTimeSeconds())
        {
            _scheduled.Enqueue(job, job.RunAt);
            ArmScheduleTimer();
            return;
        }
        Enqueue(job);
    }

    private void Enqueue(Job job)
    {
        job.Function.Enqueue(job);
        job.Timestamp = TurnClock.Now;
        WakeOneSleeper(job.Function);
    }

    /// <summary>Takes a job out of every table; its stored copy is deleted.</summary>
    private void Forget(Job job)
    {
        job.Function.Remove(job);
        _jobs.Remove(job.Number);
        if (job.Key is { } key && _uniques.TryGetValue(key, out var current) && current == job)
            _uniques.Remove(key);
        foreach (var client in job.Clients)
            client.Watching.Remove(job);
        job.Clients.Clear();
        job.Timeout?.Dispose();
        job.Timeout = null;
        if (job.StoreId != 0)
            _store?.Remove(job.StoreId);
    }

    private void ArmScheduleTimer()
    {
        if (!_scheduled.TryPeek(out _, out var runAt))
            return;
        var due = TimeSpan.FromSeconds(Math.Max(0, runAt - DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        _scheduleTimer.Change(due + TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan);
    }

    private void ReleaseScheduled()
    {
        lock (_gate)
        {
            long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            while (_scheduled.TryPeek(out var job, out var runAt) && runAt <= now)
            {
                _scheduled.Dequeue();
                if (_jobs.ContainsKey(job.Number))
                    Enqueue(job);
            }
            ArmScheduleTimer();
        }
    }

    private static void SendError(Peer peer, string code, string message) =>
        peer.Outbox.Send(PacketType.Error, WireText.Encode(code), WireText.Encode(message));
}
