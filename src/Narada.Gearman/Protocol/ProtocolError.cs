namespace Narada.Gearman.Protocol;

/// <summary>Why a frame was rejected; each maps to the error code gearmand puts in its ERROR packet.</summary>
public enum ProtocolError
{
    /// <summary>The first four bytes are not the expected magic.</summary>
    InvalidMagic,
    /// <summary>A packet number the protocol does not define, or one not expected in this direction.</summary>
    InvalidCommand,
    /// <summary>The payload has fewer arguments than the packet type needs.</summary>
    InvalidPacket,
    /// <summary>A length field or an argument exceeds its limit.</summary>
    ArgumentTooLarge,
}

/// <summary>A frame that breaks the protocol; the connection that sent it cannot be trusted further.</summary>
public sealed class GearmanProtocolException : Exception
{
    public GearmanProtocolException(ProtocolError error, string message) : base(message) => Error = error;

    /// <summary>What was wrong with the frame.</summary>
    public ProtocolError Error { get; }

    /// <summary>The code gearmand sends in an ERROR packet for this kind of fault.</summary>
    public string Code => Error switch
    {
        ProtocolError.InvalidMagic => ErrorCodes.InvalidMagic,
        ProtocolError.InvalidCommand => ErrorCodes.InvalidCommand,
        ProtocolError.InvalidPacket => ErrorCodes.InvalidPacket,
        _ => ErrorCodes.ArgumentTooLarge,
    };
}
