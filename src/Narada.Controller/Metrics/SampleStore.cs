using System.Collections.Concurrent;
using Narada.Core.Metrics;

namespace Narada.Controller.Metrics;

/// <summary>
/// The latest samples each host's collectors reported, labelled with <c>host</c>. A new report of a collector replaces
/// its previous one whole, so series a host stopped reporting vanish; a host that leaves takes its series with it.
/// </summary>
public sealed class SampleStore
{
    private readonly ConcurrentDictionary<(string Host, string Source), Entry> _latest = new();

    private sealed record Entry(IReadOnlyList<Sample> Samples, DateTimeOffset At);

    /// <summary>Replaces what <paramref name="source"/> (a collector or check name) last reported for <paramref name="host"/>.</summary>
    /// <summary>The recent values of the series a host's dashboard page draws.</summary>
    public SeriesHistory History { get; } = new();

    public void Replace(string host, string source, IEnumerable<Sample> samples, DateTimeOffset at)
    {
        // Every family gets a HELP line (promtool's lint insists), naming where it came from when the agent gave none.
        var labelled = samples.Select(s => s with
        {
            Labels = WithHost(s.Labels, host),
            TimestampMs = null,
            Help = s.Help ?? $"Reported by narada agents ({source}).",
        }).ToArray();
        _latest[(host, source)] = new Entry(labelled, at);
        if (source.StartsWith("collect/", StringComparison.Ordinal))
            History.Record(host, labelled);
    }

    /// <summary>Drops every series of a host.</summary>
    public void RemoveHost(string host)
    {
        History.RemoveHost(host);
        foreach (var key in _latest.Keys)
            if (key.Host == host)
                _latest.TryRemove(key, out _);
    }

    /// <summary>Drops reports older than <paramref name="cutoff"/> (collectors that stopped).</summary>
    public void Expire(DateTimeOffset cutoff)
    {
        foreach (var (key, entry) in _latest)
            if (entry.At < cutoff)
                _latest.TryRemove(key, out _);
    }

    public IEnumerable<Sample> All() => _latest.Values.SelectMany(e => e.Samples);

    /// <summary>The series of the hosts <paramref name="holds"/> admits (one shard of the fleet).</summary>
    public IEnumerable<Sample> Of(Func<string, bool> holds) => _latest.Where(e => holds(e.Key.Host)).SelectMany(e => e.Value.Samples);

    private static Dictionary<string, string> WithHost(IReadOnlyDictionary<string, string> labels, string host)
    {
        var copy = new Dictionary<string, string>(labels, StringComparer.Ordinal);
        // The controller's host label wins: an agent cannot report samples as another host.
        if (copy.TryGetValue("host", out var own) && own != host)
            copy["exported_host"] = own;
        copy["host"] = host;
        return copy;
    }
}
