using System.Collections.Concurrent;
using Narada.Core.Contracts;
using Narada.Core.Formats;

namespace Narada.Controller.State;

/// <summary>One check on one host: its state plus what the last result carried.</summary>
public sealed class CheckEntry(CheckState state)
{
    public CheckState State { get; } = state;
    public string Plugin { get; set; } = "";
    public double LastDurationSeconds { get; set; }
    public IReadOnlyList<PerfDataItem> PerfData { get; set; } = [];
    public string LongOutput { get; set; } = "";
    public bool Stale { get; set; }

    /// <summary>What the check's hooks printed with the last result (kept by the member that took it).</summary>
    public IReadOnlyList<Narada.Core.Contracts.HookOutput> Hooks { get; set; } = [];
}

/// <summary>Every (check, host) state the controller tracks; each entry is updated under its own lock.</summary>
public sealed class CheckBook
{
    private readonly ConcurrentDictionary<(string Check, string Host), CheckEntry> _entries = new();

    // The entries whose latest or confirmed status is not OK: the notification and retry sweeps walk these every tick
    // rather than every check of the fleet (a million at 100,000 hosts, nearly all OK).
    private readonly ConcurrentDictionary<(string Check, string Host), CheckEntry> _problems = new();

    /// <summary>A copy of every entry, for pages and answers that sort or count them.</summary>
    public IReadOnlyCollection<CheckEntry> All => _entries.Values.ToArray();

    /// <summary>Every entry, walked in place without a copy (entries added or removed meanwhile may or may not show).</summary>
    public IEnumerable<CheckEntry> Entries
    {
        get
        {
            foreach (var (_, entry) in _entries)
                yield return entry;
        }
    }

    /// <summary>The entries not OK (soft or hard), walked in place.</summary>
    public IEnumerable<CheckEntry> Problems
    {
        get
        {
            foreach (var (_, entry) in _problems)
                yield return entry;
        }
    }

    public bool TryGet(string check, string host, out CheckEntry entry) => _entries.TryGetValue((check, host), out entry!);

    public CheckEntry GetOrAdd(string check, string host, int maxAttempts, DateTimeOffset now) =>
        _entries.GetOrAdd((check, host), key => new CheckEntry(new CheckState(key.Check, key.Host, maxAttempts, now)));

    public void Restore(CheckState state) => Track(_entries[(state.Check, state.Host)] = new CheckEntry(state));

    /// <summary>Takes a state as the cluster's store has it (a cache of it: the store's is the one that counts).</summary>
    public CheckEntry Put(Store.SharedCheck shared)
    {
        var entry = new CheckEntry(shared.State)
        {
            Plugin = shared.Plugin,
            LongOutput = shared.LongOutput,
            PerfData = shared.PerfData,
            LastDurationSeconds = shared.DurationSeconds,
            Stale = shared.Stale,
        };
        _entries[(shared.State.Check, shared.State.Host)] = entry;
        Track(entry);
        return entry;
    }

    /// <summary>Applies a result under the entry's lock.</summary>
    public (CheckEntry Entry, StateChange Change) Record(string check, string host, int maxAttempts, CheckStatus status, string output,
        DateTimeOffset at, Action<CheckEntry>? also = null)
    {
        var entry = GetOrAdd(check, host, maxAttempts, at);
        lock (entry)
        {
            entry.State.MaxAttempts = maxAttempts;
            entry.Stale = false;
            var change = entry.State.Apply(status, output, at);
            also?.Invoke(entry);
            Track(entry);
            return (entry, change);
        }
    }

    /// <summary>Forgets one check on one host.</summary>
    public void Remove(string check, string host)
    {
        _entries.TryRemove((check, host), out _);
        _problems.TryRemove((check, host), out _);
    }

    private void Track(CheckEntry entry)
    {
        var key = (entry.State.Check, entry.State.Host);
        if (entry.State.Status != CheckStatus.Ok || entry.State.HardStatus != CheckStatus.Ok)
            _problems[key] = entry;
        else
            _problems.TryRemove(key, out _);
    }

    /// <summary>Forgets the checks of a host that left, or of a check that was removed.</summary>
    public void RemoveWhere(Func<string, string, bool> predicate)
    {
        foreach (var (key, _) in _entries)
            if (predicate(key.Check, key.Host))
                Remove(key.Check, key.Host);
    }
}
