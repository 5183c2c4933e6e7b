using System.Collections.Concurrent;
using Narada.Controller.Hosts;
using Narada.Controller.State;
using Narada.Core.Definitions;
using Narada.Core.Formats;

namespace Narada.Controller.Handlers;

/// <summary>
/// Decides when a check's handlers run: at a hard change (a problem, or a recovery), again while a problem lasts
/// (<c>repeat</c>), and only once it has lasted (<c>after</c>, escalation). Nothing runs while the problem is held:
/// silenced, or a parent it depends on is down; repeats and escalations also wait while someone acknowledged it.
/// What was sent is kept per member in memory: after a restart (or a new cluster leader) the next repeat is counted
/// from the hard change.
/// </summary>
public sealed class Notifications(HandlerRunner runner, SilenceBook silences, AckBook acks, CheckBook checks, HostRegistry hosts,
    Func<DefinitionSet> definitions)
{
    private readonly ConcurrentDictionary<(string Check, string Host, string Handler), (DateTimeOffset Last, int Count)> _sent = new();

    /// <summary>Why handlers of <paramref name="check"/> on <paramref name="host"/> are held now, or null when they may run.</summary>
    public string? HeldBy(CheckDefinition? check, string name, string host, IReadOnlyCollection<string> tags, DateTimeOffset now)
    {
        if (silences.IsSilenced(name, host, tags, now))
            return "silenced";
        var tagSet = tags as IReadOnlySet<string> ?? tags.ToHashSet(StringComparer.Ordinal);
        foreach (var downtime in definitions().Downtimes.Values)
            if (downtime.Covers(name, host, tagSet, now))
                return $"in downtime {downtime.Name} until {downtime.WindowAt(now)!.Value.End:yyyy-MM-dd HH:mm:ss}Z";
        return check is null ? null : DownParent(check, host) is { } parent ? $"depends on {parent}" : null;
    }

    /// <summary>The first parent of <paramref name="check"/> (on <paramref name="host"/>) that is down, described, or null.</summary>
    public string? DownParent(CheckDefinition check, string host)
    {
        foreach (var parent in check.DependsOn)
        {
            var parentHost = parent.Host ?? host;
            if (parent.Check is null)
            {
                if (hosts.TryGet(parentHost, out var record) && record.Status == HostStatus.Down)
                    return $"host {parentHost}, which is down";
            }
            else if (checks.TryGet(parent.Check, parentHost, out var entry) && entry.State.HardStatus != CheckStatus.Ok
                     && !(parent.Check == check.Name && parentHost == host))
            {
                return $"{parent.Check} on {parentHost}, which is {Intake.Names.Of(entry.State.HardStatus)}";
            }
        }
        return null;
    }

    /// <summary>A hard change happened: a problem (new, or another problem state) or a recovery. Returns what held
    /// the handlers back, or null when they were asked to run.</summary>
    public string? OnHardChange(CheckDefinition check, IReadOnlyList<HandlerDefinition> handlers, HandlerEvent e, StateChange change,
        DateTimeOffset now)
    {
        if (HeldBy(check, check.Name, e.Host, e.Tags, now) is { } held)
        {
            Forget(check.Name, e.Host);
            return held;
        }
        if (change.Recovery)
        {
            // An escalation handler hears of the recovery only of a problem that lasted long enough to reach it.
            var lasted = now - change.PreviousHardSince;
            runner.Fire(handlers.Where(h => h.After is not { } after || lasted >= after), e, hard: true, occurrence: change.Attempt);
            Forget(check.Name, e.Host);
            return null;
        }
        Forget(check.Name, e.Host);
        if (acks.Of(check.Name, e.Host) is { Sticky: true } sticky)
            return $"acknowledged by {sticky.Author} until it recovers";
        foreach (var handler in handlers.Where(h => h.After is null))
            if (runner.Fire([handler], e, hard: true, occurrence: change.Attempt) > 0)
                _sent[(check.Name, e.Host, handler.Name)] = (now, 1);
        return null;
    }

    /// <summary>
    /// Runs what is due for problems that last: a repeat <c>repeat</c> after the last run (or after the hard change,
    /// when this member sent none), an escalation once the problem is <c>after</c> old. Returns how many it started.
    /// </summary>
    public int Sweep(DefinitionSet set, Func<string, IReadOnlyCollection<string>> tagsOf, DateTimeOffset now)
    {
        int started = 0;
        foreach (var entry in checks.Problems)
        {
            var state = entry.State;
            if (state.HardStatus == CheckStatus.Ok || state.Type != StateType.Hard || !set.Checks.TryGetValue(state.Check, out var check)
                || check.Handlers.Count == 0 || acks.Of(state.Check, state.Host) is not null)
                continue;
            var tags = tagsOf(state.Host);
            if (HeldBy(check, state.Check, state.Host, tags, now) is not null)
                continue;
            foreach (var handler in check.Handlers.Select(h => set.Handlers.GetValueOrDefault(h)).OfType<HandlerDefinition>())
            {
                var key = (state.Check, state.Host, handler.Name);
                bool sent = _sent.TryGetValue(key, out var last);
                int? number = null;
                if (!sent && handler.After is { } after && now - state.LastHardChange >= after)
                    number = 1;
                else if (handler.Repeat is { } repeat && (sent || handler.After is null) && now - (sent ? last.Last : state.LastHardChange) >= repeat)
                    number = sent ? last.Count + 1 : 1; // none sent here: the first this member knows of (held until now)
                if (number is not { } n)
                    continue;
                var e = new HandlerEvent("problem", state.Check, state.Host, Intake.Names.Of(state.HardStatus), Intake.Names.Of(state.HardStatus),
                    "hard", state.Attempt, state.Output, now)
                {
                    Tags = tags,
                    Flapping = state.IsFlapping,
                    Notification = n,
                };
                _sent[key] = (now, n);
                started += runner.Fire([handler], e, hard: true, occurrence: state.Attempt);
            }
        }
        return started;
    }

    private void Forget(string check, string host)
    {
        foreach (var key in _sent.Keys)
            if (key.Check == check && key.Host == host)
                _sent.TryRemove(key, out _);
    }
}
