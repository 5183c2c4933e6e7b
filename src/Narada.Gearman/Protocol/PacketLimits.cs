namespace Narada.Gearman.Protocol;

/// <summary>Size limits the codec enforces on every length field before it trusts it.</summary>
public sealed record PacketLimits
{
    /// <summary>Function names longer than this are refused (libgearman's limit).</summary>
    public const int MaxFunctionLength = 512;

    /// <summary>Unique keys longer than this are refused (libgearman's limit).</summary>
    public const int MaxUniqueLength = 64;

    /// <summary>Job handles longer than this are refused (libgearman's limit).</summary>
    public const int MaxHandleLength = 64;

    /// <summary>Largest payload accepted in one packet; a larger length field is a protocol error before any byte of it is buffered.</summary>
    public int MaxPayloadLength { get; init; } = 64 * 1024 * 1024;

    /// <summary>Longest text admin command line.</summary>
    public int MaxAdminLineLength { get; init; } = 4096;

    /// <summary>The limits used when nothing else is configured.</summary>
    public static PacketLimits Default { get; } = new();
}
