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
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, PacketMagic expected, PacketLimits limits, out Packet packet) =>
        TryRead(ref buffer, expected, limits, borrow: false, out packet);

    /// <summary>
    /// Like <see cref="TryRead(ref ReadOnlySequence{byte}, PacketMagic, PacketLimits, out Packet)"/>, but the payload is
    /// a slice of <paramref name="buffer"/>'s memory wherever the packet lies in one segment, not a copy: it is valid
    /// only until that memory is advanced past or reused, so the caller must copy whatever it keeps. For a reader that
    /// handles each packet at once (a job server forwarding results), that saves an array per packet.
    /// </summary>
    public static bool TryReadBorrowed(ref ReadOnlySequence<byte> buffer, PacketMagic expected, PacketLimits limits, out Packet packet) =>
        TryRead(ref buffer, expected, limits, borrow: true, out packet);

    private static bool TryRead(ref ReadOnlySequence<byte> buffer, PacketMagic expected, PacketLimits limits, bool borrow, out Packet packet)
    {
        packet = default;
        if (buffer.Length < PacketHeader.Size)
        {
            // Reject a wrong magic as soon as its bytes are in, so a text or garbage peer is told at once.
            CheckMagicPrefix(buffer, expected);
            return false;
        }

        // Reads mostly hold whole packets in one segment: look at the header in place then.
        var first = buffer.FirstSpan;
        Span<byte> copied = stackalloc byte[PacketHeader.Size];
        ReadOnlySpan<byte> header = first.Length >= PacketHeader.Size ? first[..PacketHeader.Size] : copied;
        if (first.Length < PacketHeader.Size)
            buffer.Slice(0, PacketHeader.Size).CopyTo(copied);
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

        long end = PacketHeader.Size + length;
        var payload = length == 0 ? ReadOnlyMemory<byte>.Empty
            : first.Length < end ? buffer.Slice(PacketHeader.Size, length).ToArray()
            : borrow ? buffer.First[PacketHeader.Size..(int)end]
            : first[PacketHeader.Size..(int)end].ToArray();
        packet = Packet.Create(expected, (PacketType)type, payload);
        buffer = buffer.Slice(end);
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
