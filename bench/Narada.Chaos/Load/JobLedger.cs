using System.Collections.Concurrent;

namespace Narada.Chaos.Load;

/// <summary>
/// The harness's own books, kept outside the system under test: every job a submitter saw acknowledged (JOB_CREATED),
/// and every job a worker ran, with when. Loss and duplication are counted from these, never from what the server says.
/// </summary>
public sealed class JobLedger
{
    private readonly ConcurrentDictionary<string, long> _acknowledged = new();
    private readonly ConcurrentDictionary<string, int> _executed = new();
    private readonly ConcurrentQueue<long> _acknowledgedAt = new();
    private readonly ConcurrentQueue<long> _executedAt = new();
    private long _refused;

    public void Acknowledged(string unique)
    {
        long now = Clock.NowMs;
        _acknowledged[unique] = now;
        _acknowledgedAt.Enqueue(now);
    }

    /// <summary>A submit that got no JOB_CREATED (the server was down): not promised, so not counted as lost.</summary>
    public void Refused() => Interlocked.Increment(ref _refused);

    public void Executed(string unique)
    {
        _executed.AddOrUpdate(unique, 1, (_, n) => n + 1);
        _executedAt.Enqueue(Clock.NowMs);
    }

    public int AcknowledgedCount => _acknowledged.Count;
    public int ExecutedCount => _executed.Count;
    public long RefusedCount => Interlocked.Read(ref _refused);

    /// <summary>Acknowledged jobs no worker ran.</summary>
    public IReadOnlyList<string> Lost() => [.. _acknowledged.Keys.Where(u => !_executed.ContainsKey(u))];

    /// <summary>Extra runs: a job run twice counts one.</summary>
    public int Duplicates => _executed.Values.Sum(n => n - 1);

    /// <summary>Jobs that ran without their submitter seeing JOB_CREATED (stored, then the server died before answering).</summary>
    public int ExecutedUnacknowledged => _executed.Keys.Count(u => !_acknowledged.ContainsKey(u));

    /// <summary>True once every acknowledged job has run.</summary>
    public bool AllAcknowledgedExecuted => _acknowledged.Keys.All(_executed.ContainsKey);

    /// <summary>When <paramref name="unique"/> was acknowledged (ms), if it was.</summary>
    public long? AcknowledgedAt(string unique) => _acknowledged.TryGetValue(unique, out long at) ? at : null;

    /// <summary>Every acknowledged unique key.</summary>
    public IReadOnlyCollection<string> AcknowledgedKeys => [.. _acknowledged.Keys];

    public long? FirstAcknowledgedAfter(long ms) => First(_acknowledgedAt, ms);

    public long? FirstExecutedAfter(long ms) => First(_executedAt, ms);

    private static long? First(ConcurrentQueue<long> times, long after)
    {
        long? first = null;
        foreach (var t in times)
            if (t > after && (first is null || t < first))
                first = t;
        return first;
    }
}
