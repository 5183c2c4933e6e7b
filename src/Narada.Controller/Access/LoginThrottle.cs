using System.Collections.Concurrent;

namespace Narada.Controller.Access;

/// <summary>
/// Failed logins remembered per user name and per client address: after <see cref="PerUser"/> failures for one name,
/// or <see cref="PerAddress"/> from one address, within <see cref="Window"/>, further attempts are refused (before any
/// password is checked) until the oldest failure leaves the window. Per member: in a cluster each member counts its own.
/// </summary>
public sealed class LoginThrottle(TimeProvider clock)
{
    public const int PerUser = 5;
    public const int PerAddress = 20;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    private const int MaxKeys = 100_000;

    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _failures = new(StringComparer.Ordinal);

    /// <summary>How long until another attempt for <paramref name="user"/> from <paramref name="address"/> is taken;
    /// null when it may be tried now.</summary>
    public TimeSpan? Blocked(string? user, string address)
    {
        var now = clock.GetUtcNow();
        TimeSpan? wait = Wait("addr:" + address, PerAddress, now);
        if (user is not null && Wait("user:" + user, PerUser, now) is { } forUser && (wait is null || forUser > wait))
            wait = forUser;
        return wait;
    }

    public void Failed(string? user, string address)
    {
        var now = clock.GetUtcNow();
        if (_failures.Count > MaxKeys)
            Prune(now);
        Add("addr:" + address, now);
        if (user is not null)
            Add("user:" + user, now);
    }

    /// <summary>A user who got in starts again from nothing (their address's count stays).</summary>
    public void Succeeded(string user) => _failures.TryRemove("user:" + user, out _);

    private void Add(string key, DateTimeOffset now)
    {
        var times = _failures.GetOrAdd(key, _ => new Queue<DateTimeOffset>());
        lock (times)
        {
            Expire(times, now);
            times.Enqueue(now);
        }
    }

    private TimeSpan? Wait(string key, int limit, DateTimeOffset now)
    {
        if (!_failures.TryGetValue(key, out var times))
            return null;
        lock (times)
        {
            Expire(times, now);
            if (times.Count < limit)
                return null;
            // The attempt that would be allowed next is when enough of the oldest have left the window.
            return times.ElementAt(times.Count - limit) + Window - now;
        }
    }

    private static void Expire(Queue<DateTimeOffset> times, DateTimeOffset now)
    {
        while (times.Count > 0 && times.Peek() <= now - Window)
            times.Dequeue();
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, times) in _failures)
            lock (times)
            {
                Expire(times, now);
                if (times.Count == 0)
                    _failures.TryRemove(key, out _);
            }
    }
}
