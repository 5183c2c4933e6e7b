using System.Collections.Concurrent;
using System.Text;
using Narada.Gearman.Protocol;

namespace Narada.Gearman.Client;

/// <summary>UTF-8 bytes of function names, validated once and kept, since a client submits to the same few names again and again.</summary>
internal sealed class FunctionNames
{
    // Bounded so a caller that submits to ever-new names (one per host, say) cannot grow it without end.
    private const int MaxCached = 4096;
    private readonly ConcurrentDictionary<string, byte[]> _encoded = new(StringComparer.Ordinal);

    public byte[] Encode(string function)
    {
        if (_encoded.TryGetValue(function, out var bytes))
            return bytes;
        ArgumentException.ThrowIfNullOrEmpty(function);
        bytes = Encoding.UTF8.GetBytes(function);
        if (bytes.Length > PacketLimits.MaxFunctionLength)
            throw new ArgumentException($"function name is {bytes.Length} bytes, limit {PacketLimits.MaxFunctionLength}", nameof(function));
        if (bytes.AsSpan().Contains((byte)0))
            throw new ArgumentException("function name contains a NUL byte", nameof(function));
        if (_encoded.Count < MaxCached)
            _encoded.TryAdd(function, bytes);
        return bytes;
    }

    /// <summary>Encodes and checks a unique key (no cache: uniques are rarely reused by one client).</summary>
    public static byte[] EncodeUnique(string unique)
    {
        var bytes = Encoding.UTF8.GetBytes(unique);
        if (bytes.Length > PacketLimits.MaxSentUniqueLength)
            throw new ArgumentException($"unique is {bytes.Length} bytes, limit {PacketLimits.MaxSentUniqueLength}", nameof(unique));
        if (bytes.AsSpan().Contains((byte)0))
            throw new ArgumentException("unique contains a NUL byte", nameof(unique));
        return bytes;
    }
}
