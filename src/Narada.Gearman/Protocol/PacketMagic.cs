namespace Narada.Gearman.Protocol;

/// <summary>Which way a binary packet travels: requests go to the server, responses come from it.</summary>
public enum PacketMagic : byte
{
    Request,
    Response,
}

/// <summary>The 4-byte magic values and header layout of the binary protocol.</summary>
public static class PacketHeader
{
    /// <summary>Header size: magic, type and payload length.</summary>
    public const int Size = 12;

    /// <summary>Magic on packets sent to the server.</summary>
    public static ReadOnlySpan<byte> RequestMagic => "\0REQ"u8;

    /// <summary>Magic on packets sent by the server.</summary>
    public static ReadOnlySpan<byte> ResponseMagic => "\0RES"u8;

    /// <summary>The magic bytes of a direction.</summary>
    public static ReadOnlySpan<byte> MagicBytes(PacketMagic magic) => magic == PacketMagic.Request ? RequestMagic : ResponseMagic;
}
