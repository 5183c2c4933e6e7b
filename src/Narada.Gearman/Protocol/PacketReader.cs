using System.Buffers;
using System.Buffers.Binary;

namespace Narada.Gearman.Protocol;

/// <summary>Decodes binary packets from a byte stream; an incomplete frame is left for the next read.</summary>
public static class PacketReader
{
    /// <summary>
    /// Takes one packet off the front of <paramref name="buffer"/>. Returns false and leaves the buffer untouched when
    /// the frame is not complete yet; throws <see cref="GearmanProtocolException"/> when it can never be valid.
    /// </summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, PacketMagic expected, PacketLimits limits, out Packet packet)
    {
        packet = default;
        if (buffer.Length < PacketHeader.Size)
        {
            // Reject a wrong magic as soon as its bytes are in, so a text or garbage peer is told at once.
            CheckMagicPrefix(buffer, expected);
            return false;
        }

        Span<byte> header = stackalloc byte[PacketHeader.Size];
        buffer.Slice(0, PacketHeader.Size).CopyTo(header);
        CheckMagic(header[..4], expected);
        uint type = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        uint length = BinaryPrimitives.ReadUInt32BigEndian(header[8..]);
        if (!PacketSchema.IsDefined(type))
            throw new GearmanProtocolException(ProtocolError.InvalidCommand, $"unknown packet type {type}");
        if (length > (uint)limits.MaxPayloadLength)
            throw new GearmanProtocolException(ProtocolError.ArgumentTooLarge,
                $"payload of {length} bytes exceeds the limit of {limits.MaxPayloadLength}");
        if (buffer.Length < PacketHeader.Size + length)
            return false;

        var payload = length == 0 ? ReadOnlyMemory<byte>.Empty : buffer.Slice(PacketHeader.Size, length).ToArray();
        packet = Packet.Create(expected, (PacketType)type, payload);
        buffer = buffer.Slice(PacketHeader.Size + length);
        return true;
    }

    /// <summary>Checks whatever part of the magic has arrived.</summary>
    private static void CheckMagicPrefix(in ReadOnlySequence<byte> buffer, PacketMagic expected)
    {
        int have = (int)Math.Min(buffer.Length, 4);
        if (have == 0)
            return;
        Span<byte> prefix = stackalloc byte[4];
        buffer.Slice(0, have).CopyTo(prefix);
        if (!PacketHeader.MagicBytes(expected)[..have].SequenceEqual(prefix[..have]))
            throw MagicError(expected);
    }

    private static void CheckMagic(ReadOnlySpan<byte> magic, PacketMagic expected)
    {
        if (!magic.SequenceEqual(PacketHeader.MagicBytes(expected)))
            throw MagicError(expected);
    }

    private static GearmanProtocolException MagicError(PacketMagic expected) =>
        new(ProtocolError.InvalidMagic, expected == PacketMagic.Request ? "expected \\0REQ magic" : "expected \\0RES magic");
}
