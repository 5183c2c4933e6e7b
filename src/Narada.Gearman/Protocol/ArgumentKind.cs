namespace Narada.Gearman.Protocol;

/// <summary>What one argument of a packet carries; decides the length limit the codec enforces.</summary>
public enum ArgumentKind : byte
{
    /// <summary>Opaque bytes with no limit beyond the payload limit (job data, messages, numbers).</summary>
    Bytes,
    /// <summary>A function name, at most <see cref="PacketLimits.MaxFunctionLength"/> bytes.</summary>
    Function,
    /// <summary>A unique key, at most <see cref="PacketLimits.MaxUniqueLength"/> bytes.</summary>
    Unique,
    /// <summary>A job handle, at most <see cref="PacketLimits.MaxHandleLength"/> bytes.</summary>
    Handle,
}
