using System.Collections.Concurrent;

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

/// <summary>The silences in force.</summary>
public sealed class SilenceBook
{
    private readonly ConcurrentDictionary<string, Silence> _silences = new();

    public Silence Add(string? check, string? host, string? tag, DateTimeOffset until, string reason)
    {
        var silence = new Silence(Guid.NewGuid().ToString("N")[..12], check, host, tag, until, reason);
        _silences[silence.Id] = silence;
        return silence;
    }

    public bool Remove(string id) => _silences.TryRemove(id, out _);

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
