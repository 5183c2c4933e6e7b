using System.Collections.Concurrent;
using Narada.Controller.History;
using Narada.Core.Formats;

namespace Narada.Controller.Handlers;

/// <summary>
/// Someone took a problem (a check on a host) in hand: its handlers do not repeat or escalate while it lasts. It ends
/// when the problem recovers, or, unless <see cref="Sticky"/>, when its hard state changes (WARNING to CRITICAL is
/// news the person should get).
/// </summary>
public sealed record Acknowledgement(string Check, string Host, string Author, string Comment, bool Sticky, DateTimeOffset At,
    CheckStatus Status);

/// <summary>The acknowledgements in force; once attached to the history store they are kept there too.</summary>
public sealed class AckBook
{
    private readonly ConcurrentDictionary<(string Check, string Host), Acknowledgement> _acks = new();
    private HistoryStore? _store;

    public void Attach(HistoryStore store)
    {
        Reload(store.LoadAcks());
        _store = store;
    }

    /// <summary>Takes the acknowledgements as the store has them now (another member may have added or cleared some).</summary>
    public void Reload(IReadOnlyList<Acknowledgement> current)
    {
        foreach (var ack in current)
            _acks[(ack.Check, ack.Host)] = ack;
        foreach (var key in _acks.Keys)
            if (!current.Any(a => (a.Check, a.Host) == key))
                _acks.TryRemove(key, out _);
    }

    public void Add(Acknowledgement ack)
    {
        _store?.SaveAck(ack);
        _acks[(ack.Check, ack.Host)] = ack;
    }

    public Acknowledgement? Remove(string check, string host)
    {
        if (!_acks.TryRemove((check, host), out var removed))
            return null;
        _store?.RemoveAck(check, host);
        return removed;
    }

    public Acknowledgement? Of(string check, string host) => _acks.GetValueOrDefault((check, host));

    public IReadOnlyList<Acknowledgement> All => [.. _acks.Values.OrderBy(a => a.Check, StringComparer.Ordinal).ThenBy(a => a.Host, StringComparer.Ordinal)];

    /// <summary>
    /// A hard state change of <paramref name="check"/> on <paramref name="host"/> to <paramref name="hard"/>: the
    /// acknowledgement it ends (a recovery ends any; another problem state a non-sticky one), or null.
    /// </summary>
    public Acknowledgement? EndOnChange(string check, string host, CheckStatus hard)
    {
        if (Of(check, host) is not { } ack || (hard != CheckStatus.Ok && (ack.Sticky || ack.Status == hard)))
            return null;
        return Remove(check, host);
    }
}
