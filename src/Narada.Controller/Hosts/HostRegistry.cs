using System.Collections.Concurrent;

namespace Narada.Controller.Hosts;

/// <summary>
/// The fleet as heartbeats describe it. A host is up while heartbeats arrive; silent for longer than
/// <see cref="MissedHeartbeats"/> intervals, it is down. Hosts are elastic: a new agent appears on its first heartbeat.
/// </summary>
public sealed class HostRegistry
{
    /// <summary>How many heartbeat intervals may pass in silence before a host is marked down.</summary>
    public const int MissedHeartbeats = 3;

    private readonly ConcurrentDictionary<string, HostRecord> _hosts = new(StringComparer.Ordinal);

    /// <summary>Raised when a host comes up or goes down (host, new status).</summary>
    public event Action<HostRecord>? StatusChanged;

    public IReadOnlyCollection<HostRecord> All => _hosts.Values.ToArray();

    public bool TryGet(string name, out HostRecord host) => _hosts.TryGetValue(name, out host!);

    /// <summary>Raised when two agents start sending heartbeats under one host name (the host, with its instances).</summary>
    public event Action<HostRecord>? NameConflictFound;

    /// <summary>Records a heartbeat from agent <paramref name="instance"/>; returns the updated host.</summary>
    public HostRecord Heartbeat(string name, IEnumerable<string> tags, IReadOnlyList<string> plugins,
        IReadOnlyDictionary<string, object?> facts, string? version, TimeSpan interval, DateTimeOffset at, string instance = "")
    {
        HostRecord? before = null;
        var updated = _hosts.AddOrUpdate(name,
            _ => Build(new HostRecord(name)),
            (_, existing) => { before = existing; return Build(existing); });
        if (before is null || before.Status != HostStatus.Up)
            StatusChanged?.Invoke(updated);
        if (updated.NameConflict && before is not { NameConflict: true })
            NameConflictFound?.Invoke(updated);
        return updated;

        HostRecord Build(HostRecord existing)
        {
            var every = interval > TimeSpan.Zero ? interval : existing.HeartbeatInterval;
            // A restarted agent is a new instance that takes over (A A B B); two agents under one name take turns
            // (A B A B): an instance that speaks again after another one spoke is the sign. Instances silent for as
            // long as a host may be before it is down are forgotten, and with them the conflict.
            var recent = existing.RecentInstances.Where(i => at - i.Value <= every * MissedHeartbeats)
                .ToDictionary(i => i.Key, i => i.Value, StringComparer.Ordinal);
            bool returning = instance.Length > 0 && existing.Instance.Length > 0 && instance != existing.Instance
                && recent.ContainsKey(instance);
            if (instance.Length > 0)
                recent[instance] = at;
            return existing with
            {
                Tags = tags.ToHashSet(StringComparer.Ordinal),
                Plugins = plugins,
                Facts = facts,
                AgentVersion = version,
                LastHeartbeat = at,
                HeartbeatInterval = every,
                Status = HostStatus.Up,
                Instance = instance,
                RecentInstances = recent,
                NameConflict = returning || (existing.NameConflict && recent.Count > 1),
            };
        }
    }

    /// <summary>Adds a host declared in config (kind: Host) so targets can name it before its agent speaks.</summary>
    public void Declare(string name, IEnumerable<string> tags)
    {
        _hosts.AddOrUpdate(name,
            _ => new HostRecord(name) { Tags = tags.ToHashSet(StringComparer.Ordinal) },
            (_, existing) => existing.DeclaredOnly ? existing with { Tags = tags.ToHashSet(StringComparer.Ordinal) } : existing);
    }

    /// <summary>Marks hosts down whose heartbeats stopped; returns those that changed.</summary>
    public IReadOnlyList<HostRecord> Sweep(DateTimeOffset now)
    {
        var changed = new List<HostRecord>();
        foreach (var host in _hosts.Values)
        {
            if (host.Status != HostStatus.Up || host.LastHeartbeat is not { } last)
                continue;
            if (now - last <= host.HeartbeatInterval * MissedHeartbeats)
                continue;
            var down = host with { Status = HostStatus.Down };
            if (_hosts.TryUpdate(host.Name, down, host))
            {
                changed.Add(down);
                StatusChanged?.Invoke(down);
            }
        }
        return changed;
    }

    /// <summary>Hosts whose last heartbeat is older than <paramref name="cutoff"/> (and that are down).</summary>
    public IReadOnlyList<string> SilentSince(DateTimeOffset cutoff) =>
        _hosts.Values.Where(h => h.Status == HostStatus.Down && h.LastHeartbeat is { } last && last < cutoff).Select(h => h.Name).ToArray();

    /// <summary>Forgets a host entirely (its series disappear from /metrics).</summary>
    public bool Remove(string name) => _hosts.TryRemove(name, out _);
}
