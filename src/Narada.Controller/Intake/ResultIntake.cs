using Microsoft.Extensions.Logging;
using Narada.Controller.Handlers;
using Narada.Controller.History;
using Narada.Controller.Hosts;
using Narada.Controller.Metrics;
using Narada.Controller.State;
using Narada.Core.Contracts;
using Narada.Core.Definitions;
using Narada.Core.Formats;

namespace Narada.Controller.Intake;

/// <summary>
/// Consumes <c>narada.results</c>: heartbeats update the fleet, check results advance state (history, handlers,
/// metrics), collector results replace the host's series, passive results count as checks pushed from anywhere.
/// A message that cannot be read is counted and logged, never thrown back at the job server.
/// </summary>
public sealed class ResultIntake(
    HostRegistry hosts,
    CheckBook checks,
    SampleStore samples,
    HistoryStore history,
    HandlerRunner handlers,
    SilenceBook silences,
    AckBook acks,
    Func<DefinitionSet> definitions,
    ControllerMetrics metrics,
    ILogger logger,
    Rollouts.ApplyWaiters applies,
    Store.ClusterStore? cluster = null,
    ChangeFeed? changes = null)
{
    private readonly AckBook _acks = acks;
    private readonly Notifications _notifications = new(handlers, silences, acks, checks, hosts, definitions);
    private readonly HashSet<(string Downtime, string Host)> _openDowntimes = [];

    /// <summary>When handlers run: at hard changes (here) and for problems that last (<see cref="SweepNotifications"/>).</summary>
    public Notifications Notifications => _notifications;
    /// <summary>
    /// Takes one narada.results message. <paramref name="unique"/> is its job's unique key: when it ends in
    /// <c>@host</c> (agents sign theirs so; a job server ACL with <c>unique: "*@{cn}"</c> makes that a verified name),
    /// a message about any other host is refused.
    /// </summary>
    public void Handle(ReadOnlySpan<byte> payload, DateTimeOffset now, string unique = "")
    {
        IEnvelope envelope;
        try
        {
            envelope = ResultsMessage.Parse(payload);
        }
        catch (EnvelopeException e)
        {
            metrics.InvalidResults.Inc();
            Log.InvalidResult(logger, e.Message);
            return;
        }
        if (SenderUniques.SubmitterOf(unique) is { } submitter && HostOf(envelope) is { } host && host != submitter)
        {
            metrics.InvalidResults.Inc();
            Log.ForeignHost(logger, host, unique, submitter);
            return;
        }
        HandleEnvelope(envelope, now);
        changes?.Bump();
    }

    private void HandleEnvelope(IEnvelope envelope, DateTimeOffset now)
    {
        switch (envelope)
        {
            case Heartbeat beat:
                metrics.Results.WithLabels("heartbeat").Inc();
                OnHeartbeat(beat, now);
                break;
            case JobResult result when result.Kind == DefinitionKind.Collector:
                metrics.Results.WithLabels("collect").Inc();
                var drop = definitions().Collectors.GetValueOrDefault(result.Name)?.Drop ?? SeriesFilter.None;
                var series = result.Samples.Select(s => s.ToSample()).Where(s => !drop.Drops(s.Name)).ToArray();
                samples.Replace(result.Host, "collect/" + result.Name, series, now);
                cluster?.SaveSamples(result.Host, "collect/" + result.Name, series, now);
                break;
            case JobResult result:
                metrics.Results.WithLabels("check").Inc();
                OnCheck(result.Name, result.Host, result.Status, result.Output, result.LongOutput, result.Plugin,
                    result.Perfdata, (result.DurationMs ?? 0) / 1000.0, now, result.Hooks);
                break;
            case ApplyResult apply:
                metrics.Results.WithLabels("apply").Inc();
                if (applies.Complete(apply))
                    break;
                if (cluster is not null)
                    // Perhaps another member runs that rollout: the answer waits in the store for it.
                    cluster.SaveApplyAnswer(apply, now);
                else
                    // An answer for a rollout this controller no longer waits for (it restarted): keep it in history.
                    history.Add(new RolloutHostRecord(apply.RolloutId, now, apply.Host, apply.Path,
                        apply.Outcome, "late: " + apply.Message));
                break;
            case PassiveResult passive:
                metrics.Results.WithLabels("passive").Inc();
                OnCheck(passive.Name, passive.Host, passive.Status, passive.Output, passive.LongOutput, "passive", [], 0,
                    passive.Timestamp ?? now);
                break;
        }
    }

    private static string? HostOf(IEnvelope envelope) => envelope switch
    {
        Heartbeat beat => beat.Host,
        JobResult result => result.Host,
        ApplyResult apply => apply.Host,
        PassiveResult passive => passive.Host,
        _ => null,
    };

    /// <summary>Marks checks that missed their TTL, and every check of a host that went down, UNKNOWN.</summary>
    public void SweepStale(DateTimeOffset now)
    {
        var set = definitions();
        var tagsOf = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal); // one host's tags, once per sweep
        foreach (var entry in checks.Entries)
        {
            var state = entry.State;
            if (!set.Checks.TryGetValue(state.Check, out var definition))
            {
                // A check removed from the definitions leaves with its series; passive results need no definition and stay.
                if (entry.Plugin != "passive")
                    checks.Remove(state.Check, state.Host);
                continue;
            }
            if (entry.Plugin != "passive" && !Targets(definition, state.Host, set, tagsOf))
            {
                checks.Remove(state.Check, state.Host); // no longer targeting this host
                continue;
            }
            if (entry.Stale)
                continue;
            bool hostDown = hosts.TryGet(state.Host, out var host) && host.Status == HostStatus.Down;
            var ttl = definition.Ttl > TimeSpan.Zero ? definition.Ttl : definition.Schedule.NominalInterval * 2;
            var since = state.LastResult ?? state.LastChange;
            if (!hostDown && now - since <= ttl)
                continue;
            string why = hostDown
                ? $"host down: no heartbeat from {state.Host} since {host.LastHeartbeat:u}"
                : $"no result within {Duration.Format(ttl)} (last {since:u})";
            OnCheck(state.Check, state.Host, CheckStatus.Unknown, why, "", entry.Plugin, [], 0, now);
            if (checks.TryGet(state.Check, state.Host, out var stale))
                stale.Stale = true;
            cluster?.SetStale(state.Check, state.Host, true);
        }
    }

    private bool Targets(CheckDefinition definition, string host, DefinitionSet set, Dictionary<string, IReadOnlySet<string>> tagsOf)
    {
        if (definition.Targets.RoundRobin)
            return true;
        if (!tagsOf.TryGetValue(host, out var tags))
            tagsOf[host] = tags = set.TagsOf(host, hosts.TryGet(host, out var h) ? h.Tags : []);
        return definition.Targets.Matches(host, tags);
    }

    private void OnHeartbeat(Heartbeat beat, DateTimeOffset now)
    {
        var facts = new Dictionary<string, object?>
        {
            ["os"] = beat.Facts.Os,
            ["os_version"] = beat.Facts.OsVersion,
            ["kernel"] = beat.Facts.Kernel,
            ["architecture"] = beat.Facts.Architecture,
            ["cpus"] = beat.Facts.Cpus,
            ["memory_bytes"] = beat.Facts.MemoryBytes,
            ["addresses"] = beat.Facts.Addresses,
            ["uptime_s"] = beat.Facts.UptimeS,
        };
        foreach (var (k, v) in beat.Facts.Extra)
            facts.TryAdd(k, v);
        var interval = TimeSpan.FromSeconds(beat.IntervalS > 0 ? beat.IntervalS : 10);
        hosts.Heartbeat(beat.Host, beat.Tags, beat.Plugins, facts, beat.Version, interval, now, beat.Instance);
        cluster?.SaveHost(new Store.SharedHost(beat.Host, now, interval, beat.Tags, beat.Plugins, facts, beat.Version, beat.Instance));
    }

    private void OnCheck(string name, string host, CheckStatus status, string output, string longOutput, string plugin,
        IReadOnlyList<PerfDataItem> perfdata, double durationSeconds, DateTimeOffset at, IReadOnlyList<HookOutput>? hooks = null)
    {
        hooks ??= [];
        // The events of this result carry what the hooks printed, so whoever reads the state change sees the diagnosis.
        var eventOutput = hooks.Count == 0 ? output
            : output + string.Concat(hooks.Select(h => $"\n[hook {h.Command}{(h.ExitCode is { } code ? $", exit {code}" : "")}]\n{h.Output}"));
        var set = definitions();
        set.Checks.TryGetValue(name, out var definition);
        int attempts = definition?.Attempts ?? 1;
        var result = new ResultRecord(at, name, host, status, output, durationSeconds * 1000);
        CheckEntry entry;
        StateChange change;
        if (cluster is null)
        {
            (entry, change) = checks.Record(name, host, attempts, status, output, at, e =>
            {
                // Texts equal to the last result's keep the strings already held: a million checks hold one copy each.
                if (!string.Equals(e.Plugin, plugin, StringComparison.Ordinal))
                    e.Plugin = plugin;
                if (!string.Equals(e.LongOutput, longOutput, StringComparison.Ordinal))
                    e.LongOutput = longOutput;
                e.LastDurationSeconds = durationSeconds;
                e.PerfData = perfdata;
                e.Hooks = hooks;
            });
            history.Add(result);
            if (change.Current != change.Previous || change.HardChange)
                history.Save(entry.State.ToRecord());
            foreach (var happened in Events(change, name, host, eventOutput, at))
                history.Add(happened);
        }
        else
        {
            // The store's row lock orders this against the other members: this member alone sees this transition.
            (var shared, change) = cluster.Record(name, host, attempts, at, state => state.Apply(status, output, at),
                new Store.SharedExtras(plugin, longOutput, perfdata, durationSeconds, Stale: false), result,
                (c, _) => Events(c, name, host, eventOutput, at));
            entry = checks.Put(shared);
            entry.Hooks = hooks;
        }
        // The perfdata stays on the entry; /metrics and remote write make its series from there (StateExposition).

        if (!change.HardChange)
            return;

        Log.StateChanged(logger, name, host, Names.Of(change.PreviousHard), Names.Of(change.CurrentHard), change.Type.ToString(),
            change.Attempt, output);
        if (_acks.EndOnChange(name, host, change.CurrentHard) is { } ended)
            history.Add(new EventRecord(at, "ack_ended", name, host, change.PreviousHard, change.CurrentHard, change.Type.ToString(),
                change.Attempt, $"acknowledgement by {ended.Author} ended: now {Names.Of(change.CurrentHard)}"));
        if (definition is null)
            return;
        var tags = hosts.TryGet(host, out var record) ? set.TagsOf(host, record.Tags) : set.TagsOf(host, []);
        var e = new HandlerEvent(change.Recovery ? "recovery" : "problem", name, host, Names.Of(change.CurrentHard),
            Names.Of(change.PreviousHard), change.Type.ToString().ToLowerInvariant(), change.Attempt, output, at)
        {
            Tags = tags,
            Flapping = entry.State.IsFlapping,
            Hooks = hooks,
        };
        var named = definition.Handlers.Select(h => set.Handlers.GetValueOrDefault(h)).OfType<HandlerDefinition>().ToArray();
        if (_notifications.OnHardChange(definition, named, e, change, at) is { } held && named.Length > 0)
            history.Add(new EventRecord(at, "held", name, host, change.PreviousHard, change.CurrentHard, change.Type.ToString(),
                change.Attempt, $"handlers held: {held}"));
    }

    /// <summary>Repeats and escalations that are due (see <see cref="Handlers.Notifications.Sweep"/>).</summary>
    public int SweepNotifications(DateTimeOffset now)
    {
        var set = definitions();
        RecordDowntimes(set, now);
        return _notifications.Sweep(set, host => set.TagsOf(host, hosts.TryGet(host, out var h) ? h.Tags : []), now);
    }

    /// <summary>A <c>downtime_start</c> event for each host a downtime window opened on since the last sweep, and a
    /// <c>downtime_end</c> for each it closed on (or that left the definitions).</summary>
    private void RecordDowntimes(DefinitionSet set, DateTimeOffset now)
    {
        var open = new HashSet<(string, string)>();
        foreach (var downtime in set.Downtimes.Values)
        {
            if (downtime.WindowAt(now) is not { } window)
                continue;
            foreach (var host in hosts.All)
            {
                if (!downtime.Targets.Matches(host.Name, set.TagsOf(host.Name, host.Tags)))
                    continue;
                open.Add((downtime.Name, host.Name));
                if (_openDowntimes.Add((downtime.Name, host.Name)))
                    history.Add(new EventRecord(now, "downtime_start", DowntimeChecks(downtime), host.Name, CheckStatus.Ok, CheckStatus.Ok, "hard", 1,
                        $"downtime {downtime.Name} until {window.End:yyyy-MM-dd HH:mm:ss}Z: {downtime.Comment}"));
            }
        }
        foreach (var closed in _openDowntimes.Where(k => !open.Contains(k)).ToArray())
        {
            _openDowntimes.Remove(closed);
            var checksOf = set.Downtimes.TryGetValue(closed.Downtime, out var d) ? DowntimeChecks(d) : "*";
            history.Add(new EventRecord(now, "downtime_end", checksOf, closed.Host, CheckStatus.Ok, CheckStatus.Ok, "hard", 1,
                $"downtime {closed.Downtime} ended"));
        }
    }

    private static string DowntimeChecks(DowntimeDefinition downtime) => downtime.Checks.Count == 0 ? "*" : string.Join(",", downtime.Checks);

    /// <summary>
    /// Checks in a soft non-OK state whose definition has <c>retry_every</c> and whose last result is that old: the
    /// caller runs them now (Nagios' retry_interval), once per <c>retry_every</c>.
    /// </summary>
    public IReadOnlyList<(string Check, string Host)> DueRetries(DateTimeOffset now)
    {
        var set = definitions();
        var due = new List<(string, string)>();
        var retrying = new HashSet<(string, string)>();
        foreach (var entry in checks.Problems)
        {
            var state = entry.State;
            if (state.Type != StateType.Soft || state.Status == CheckStatus.Ok || !set.Checks.TryGetValue(state.Check, out var check)
                || check.RetryEvery is not { } retry)
                continue;
            retrying.Add((state.Check, state.Host));
            if (now - (state.LastResult ?? now) < retry)
                continue;
            if (_retried.TryGetValue((state.Check, state.Host), out var asked) && now - asked < retry)
                continue;
            _retried[(state.Check, state.Host)] = now;
            due.Add((state.Check, state.Host));
        }
        foreach (var (key, _) in _retried)
            if (!retrying.Contains(key))
                _retried.TryRemove(key, out _); // no longer retried: forget when it last was
        return due;
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string), DateTimeOffset> _retried = new();

    /// <summary>A check's perfdata on a host as the series /metrics shows (<c>narada_perfdata_*</c> with check and host labels).</summary>
    public static IEnumerable<Narada.Core.Metrics.Sample> PerfSamples(string check, string host, IReadOnlyList<PerfDataItem> perfdata)
    {
        foreach (var item in perfdata)
        {
            if (item.ToPerfDatum().ToSample(check) is not { } sample)
                continue;
            var labels = new Dictionary<string, string>(sample.Labels.Count + 2, StringComparer.Ordinal);
            foreach (var (k, v) in sample.Labels)
                labels[k] = v;
            labels["check"] = check;
            labels["host"] = host;
            yield return sample with
            {
                Name = "narada_perfdata_" + sample.Name,
                Labels = labels,
                Help = $"Reported by narada agents (check/{check}).",
            };
        }
    }

    /// <summary>The events one result makes: a state change (soft or hard), flapping starting or stopping.</summary>
    private static IEnumerable<EventRecord> Events(StateChange change, string check, string host, string output, DateTimeOffset at)
    {
        if (change.Current != change.Previous || change.HardChange)
            yield return new EventRecord(at, change.HardChange ? "hard" : "soft", check, host, change.Previous, change.Current,
                change.Type.ToString(), change.Attempt, output);
        if (change.FlappingStarted || change.FlappingStopped)
            yield return new EventRecord(at, change.FlappingStarted ? "flapping_start" : "flapping_stop", check, host,
                change.Previous, change.Current, change.Type.ToString(), change.Attempt, output);
    }

}

/// <summary>Status names as Nagios spells them.</summary>
public static class Names
{
    public static string Of(CheckStatus status) => status switch
    {
        CheckStatus.Ok => "OK",
        CheckStatus.Warning => "WARNING",
        CheckStatus.Critical => "CRITICAL",
        _ => "UNKNOWN",
    };
}
