using System.Security.Cryptography;
using System.Text;
using Narada.Gearman.Protocol;

namespace Narada.Core.Contracts;

/// <summary>
/// The unique keys of what an agent submits to narada.results, and how the controller reads the sender back. Each ends in <c>@&lt;host name&gt;</c>: a job server
/// whose ACL limits uniques to <c>*@{cn}</c> then vouches for the sender, and the controller refuses a message about
/// another host. gearmand keeps 63 bytes of a unique, so the part before the name shrinks for long names (cloud host
/// names run to 40 bytes and more); a name too long to leave room is sent unsigned.
/// </summary>
public sealed class SenderUniques
{
    // Random hex characters in a reply's unique: enough that two replies waiting in the queue never coalesce.
    private const int MaxRandom = 24;
    private const int MinRandom = 8;
    private readonly string _suffix;
    private readonly int _random;

    public SenderUniques(string name)
    {
        _suffix = "@" + name;
        int room = PacketLimits.MaxSentUniqueLength - Encoding.UTF8.GetByteCount(_suffix);
        _random = Math.Min(MaxRandom, room);
        Heartbeat = room >= 2 ? "hb" + _suffix : null;
    }

    /// <summary>False when the name leaves no room for a reply's random part: replies then go unsigned.</summary>
    public bool CanSign => _random >= MinRandom;

    /// <summary>The unique of the heartbeat, the same every time so unconsumed heartbeats coalesce into one; null when
    /// the name does not fit.</summary>
    public string? Heartbeat { get; }

    /// <summary>A fresh unique for one reply, or null when the name is too long to sign it.</summary>
    public string? NextReply() =>
        CanSign ? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes((_random + 1) / 2))[.._random] + _suffix : null;

    /// <summary>The host a unique key names: the text after its last <c>@</c>, or null when there is none.</summary>
    public static string? SubmitterOf(string unique)
    {
        int at = unique.LastIndexOf('@');
        return at >= 0 && at < unique.Length - 1 ? unique[(at + 1)..] : null;
    }
}
