using System.Text;

namespace Narada.Controller.Scheduling;

/// <summary>
/// A deterministic per-host offset inside an interval, so 10,000 hosts do not fire in the same second and each host
/// keeps the same rhythm across restarts (FNV-1a over "definition@host").
/// </summary>
public static class Splay
{
    public static TimeSpan Offset(string definition, string host, TimeSpan window)
    {
        if (window <= TimeSpan.Zero)
            return TimeSpan.Zero;
        ulong hash = 14695981039346656037UL;
        Span<byte> buffer = stackalloc byte[256];
        foreach (var part in new[] { definition, "@", host })
        {
            var bytes = Encoding.UTF8.GetByteCount(part) <= buffer.Length ? buffer[..Encoding.UTF8.GetBytes(part, buffer)] : Encoding.UTF8.GetBytes(part);
            foreach (var b in bytes)
            {
                hash ^= b;
                hash *= 1099511628211UL;
            }
        }
        return TimeSpan.FromTicks((long)(hash % (ulong)window.Ticks));
    }
}
