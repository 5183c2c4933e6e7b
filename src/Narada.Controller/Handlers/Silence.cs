using System.Collections.Concurrent;
using Narada.Controller.History;

namespace Narada.Controller.Handlers;

/// <summary>Keeps handlers quiet for a check, a host or a tag (any of them may be null = any) until it expires.</summary>
public sealed record Silence(string Id, string? Check, string? Host, string? Tag, DateTimeOffset Until, string Reason)
{
    public bool Covers(string check, string host, IReadOnlyCollection<string> tags, DateTimeOffset now) =>
        now < Until
        && (Check is null || Check == check)
        && (Host is null || Host == host)
        && (Tag is null || tags.Contains(Tag));
}

/// <summary>The silences in force; once attached to the history store they are kept there too and outlive a restart.</summary>
public sealed class SilenceBook
{
    private readonly ConcurrentDictionary<string, Silence> _silences = new();
    private HistoryStore? _store;

    /// <summary>Takes in the silences <paramref name="store"/> kept and writes every later change to it.</summary>
    public void Attach(HistoryStore store, DateTimeOffset now)
    {
        foreach (var silence in store.LoadSilences(now))
            _silences[silence.Id] = silence;
        _store = store;
    }

    /// <summary>Takes the silences as the store has them now (another member of a cluster may have added or lifted some).</summary>
    public void Reload(IReadOnlyList<Silence> current)
    {
        foreach (var silence in current)
            _silences[silence.Id] = silence;
        foreach (var id in _silences.Keys)
            if (!current.Any(s => s.Id == id))
                _silences.TryRemove(id, out _);
    }

    public Silence Add(string? check, string? host, string? tag, DateTimeOffset until, string reason)
    {
        var silence = new Silence(Guid.NewGuid().ToString("N")[..12], check, host, tag, until, reason);
        _store?.SaveSilence(silence);
        _silences[silence.Id] = silence;
        return silence;
    }

    public bool Remove(string id)
    {
        if (!_silences.TryRemove(id, out _))
            return false;
        _store?.RemoveSilence(id);
        return true;
    }

    public IReadOnlyList<Silence> Active(DateTimeOffset now)
    {
        foreach (var (id, s) in _silences)
            if (s.Until <= now)
                _silences.TryRemove(id, out _);
        return _silences.Values.OrderBy(s => s.Until).ToArray();
    }

    public bool IsSilenced(string check, string host, IReadOnlyCollection<string> tags, DateTimeOffset now) =>
        _silences.Values.Any(s => s.Covers(check, host, tags, now));
}
