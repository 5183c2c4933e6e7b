namespace Narada.Gearman.Protocol;

/// <summary>Size limits the codec enforces on every length field before it trusts it.</summary>
public sealed record PacketLimits
{
    /// <summary>Function names longer than this are refused (libgearman's limit).</summary>
    public const int MaxFunctionLength = 512;

    /// <summary>Unique keys longer than this are refused when read (libgearman's buffer size).</summary>
    public const int MaxUniqueLength = 64;

    /// <summary>
    /// The longest unique the library sends. gearmand keeps a unique in a 64-byte buffer that ends in a NUL: it stores
    /// 63 bytes of a 64-byte unique and garbles the job it hands to the worker (its payload then starts with a NUL byte).
    /// </summary>
    public const int MaxSentUniqueLength = MaxUniqueLength - 1;

    /// <summary>Job handles longer than this are refused (libgearman's limit).</summary>
    public const int MaxHandleLength = 64;

    /// <summary>Largest payload accepted in one packet; a larger length field is a protocol error before any byte of it is buffered.</summary>
    public int MaxPayloadLength { get; init; } = 64 * 1024 * 1024;

    /// <summary>Longest text admin command line.</summary>
    public int MaxAdminLineLength { get; init; } = 4096;

    /// <summary>The limits used when nothing else is configured.</summary>
    public static PacketLimits Default { get; } = new();
}
