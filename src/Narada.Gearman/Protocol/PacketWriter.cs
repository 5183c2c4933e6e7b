using System.Buffers;
using System.Buffers.Binary;

namespace Narada.Gearman.Protocol;

/// <summary>Encodes binary packets into a buffer writer; the last argument may hold any bytes, the others no NUL.</summary>
public static class PacketWriter
{
    public static void Write(IBufferWriter<byte> output, PacketMagic magic, PacketType type) =>
        WriteHeader(output, magic, type, 0);

    public static void Write(IBufferWriter<byte> output, PacketMagic magic, PacketType type, ReadOnlySpan<byte> a)
    {
        WriteHeader(output, magic, type, a.Length);
        Append(output, a);
    }

    public static void Write(IBufferWriter<byte> output, PacketMagic magic, PacketType type,
        ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        CheckSeparable(type, a);
        WriteHeader(output, magic, type, a.Length + 1 + b.Length);
        AppendArgument(output, a);
        Append(output, b);
    }

    public static void Write(IBufferWriter<byte> output, PacketMagic magic, PacketType type,
        ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c)
    {
        CheckSeparable(type, a);
        CheckSeparable(type, b);
        WriteHeader(output, magic, type, a.Length + b.Length + c.Length + 2);
        AppendArgument(output, a);
        AppendArgument(output, b);
        Append(output, c);
    }

    public static void Write(IBufferWriter<byte> output, PacketMagic magic, PacketType type,
        ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c, ReadOnlySpan<byte> d)
    {
        CheckSeparable(type, a);
        CheckSeparable(type, b);
        CheckSeparable(type, c);
        WriteHeader(output, magic, type, a.Length + b.Length + c.Length + d.Length + 3);
        AppendArgument(output, a);
        AppendArgument(output, b);
        AppendArgument(output, c);
        Append(output, d);
    }

    /// <summary>Writes a packet with any number of arguments.</summary>
    public static void Write(IBufferWriter<byte> output, PacketMagic magic, PacketType type,
        params ReadOnlySpan<ReadOnlyMemory<byte>> arguments)
    {
        int length = Math.Max(0, arguments.Length - 1);
        for (int i = 0; i < arguments.Length; i++)
        {
            if (i < arguments.Length - 1)
                CheckSeparable(type, arguments[i].Span);
            length += arguments[i].Length;
        }
        WriteHeader(output, magic, type, length);
        for (int i = 0; i < arguments.Length; i++)
        {
            if (i < arguments.Length - 1)
                AppendArgument(output, arguments[i].Span);
            else
                Append(output, arguments[i].Span);
        }
    }

    /// <summary>Encodes one packet into a new array (for tests and one-off sends).</summary>
    public static byte[] ToArray(PacketMagic magic, PacketType type, params ReadOnlySpan<ReadOnlyMemory<byte>> arguments)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(buffer, magic, type, arguments);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteHeader(IBufferWriter<byte> output, PacketMagic magic, PacketType type, int length)
    {
        var span = output.GetSpan(PacketHeader.Size);
        PacketHeader.MagicBytes(magic).CopyTo(span);
        BinaryPrimitives.WriteUInt32BigEndian(span[4..], (uint)type);
        BinaryPrimitives.WriteUInt32BigEndian(span[8..], (uint)length);
        output.Advance(PacketHeader.Size);
    }

    private static void AppendArgument(IBufferWriter<byte> output, ReadOnlySpan<byte> argument)
    {
        Append(output, argument);
        output.GetSpan(1)[0] = 0;
        output.Advance(1);
    }

    private static void Append(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
            return;
        var span = output.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        output.Advance(bytes.Length);
    }

    private static void CheckSeparable(PacketType type, ReadOnlySpan<byte> argument)
    {
        if (argument.Contains((byte)0))
            throw new ArgumentException($"{type}: only the last argument may contain a NUL byte", nameof(argument));
    }
}
