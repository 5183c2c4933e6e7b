using Narada.Controller.Hosts;
using Narada.Controller.State;
using Narada.Core.Metrics;

namespace Narada.Controller.Metrics;

/// <summary>
/// Check and agent state as Prometheus series, built fresh at each scrape so departed hosts vanish: the checks' states
/// and the perfdata of their last results, which stays on the check's entry rather than being turned into series at each
/// result (a scrape every 15 s costs less than 16,000 results a second each building its series).
/// </summary>
public static class StateExposition
{
    /// <param name="dropsOf">A check's <c>drop:</c> list, kept out of its perfdata series; null when it has none.</param>
    public static IEnumerable<Sample> Samples(CheckBook checks, HostRegistry hosts, Handlers.AckBook? acks = null, Func<string, bool>? holds = null,
        Func<string, Narada.Core.Definitions.SeriesFilter?>? dropsOf = null)
    {
        foreach (var entry in checks.Entries)
        {
            var s = entry.State;
            if (holds is not null && !holds(s.Host))
                continue;
            var labels = new Dictionary<string, string> { ["check"] = s.Check, ["host"] = s.Host };
            yield return new Sample("narada_check_status", (int)s.Status)
            { Labels = labels, Help = "Latest check status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN." };
            yield return new Sample("narada_check_hard_status", (int)s.HardStatus)
            { Labels = labels, Help = "Confirmed (hard) check status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN." };
            yield return new Sample("narada_check_duration_seconds", entry.LastDurationSeconds)
            { Labels = labels, Help = "How long the last check run took on the agent." };
            yield return new Sample("narada_check_attempt", s.Attempt)
            { Labels = labels, Help = "Consecutive attempts in the current problem state." };
            yield return new Sample("narada_check_flapping", s.IsFlapping ? 1 : 0)
            { Labels = labels, Help = "1 while the check is flapping." };
            yield return new Sample("narada_check_acknowledged", acks?.Of(s.Check, s.Host) is null ? 0 : 1)
            { Labels = labels, Help = "1 while someone has acknowledged the check's problem (its handlers do not repeat or escalate)." };
            if (s.LastResult is { } last)
                yield return new Sample("narada_check_last_run_timestamp_seconds", last.ToUnixTimeMilliseconds() / 1000.0)
                { Labels = labels, Help = "When the last result arrived (Unix time)." };
            if (entry.PerfData.Count == 0)
                continue;
            var drop = dropsOf?.Invoke(s.Check);
            foreach (var perf in Intake.ResultIntake.PerfSamples(s.Check, s.Host, entry.PerfData))
                if (drop is null || !drop.Drops(perf.Name))
                    yield return perf;
        }
        foreach (var host in hosts.All)
        {
            if (holds is not null && !holds(host.Name))
                continue;
            var labels = new Dictionary<string, string> { ["host"] = host.Name };
            yield return new Sample("narada_agent_up", host.Status == HostStatus.Up ? 1 : 0)
            { Labels = labels, Help = "1 while the host's agent sends heartbeats." };
            yield return new Sample("narada_agent_name_conflict", host.NameConflict ? 1 : 0)
            { Labels = labels, Help = "1 while two or more agents send heartbeats under this host name." };
            if (host.LastHeartbeat is { } beat)
                yield return new Sample("narada_agent_last_heartbeat_timestamp_seconds", beat.ToUnixTimeMilliseconds() / 1000.0)
                { Labels = labels, Help = "When the host's agent last sent a heartbeat (Unix time)." };
        }
    }
}
