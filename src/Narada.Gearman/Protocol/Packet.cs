using System.Runtime.CompilerServices;
using System.Text;

namespace Narada.Gearman.Protocol;

/// <summary>One decoded binary packet: its type and payload, with arguments as slices of that payload.</summary>
public readonly struct Packet
{
    private const int MaxArguments = 8;
    private readonly Separators _ends;

    internal Packet(PacketMagic magic, PacketType type, ReadOnlyMemory<byte> payload, in Separators ends, int argumentCount)
    {
        Magic = magic;
        Type = type;
        Payload = payload;
        _ends = ends;
        ArgumentCount = argumentCount;
    }

    /// <summary>Request (to the server) or response (from it).</summary>
    public PacketMagic Magic { get; }

    /// <summary>The packet type.</summary>
    public PacketType Type { get; }

    /// <summary>The whole payload, arguments and their NUL separators.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>How many arguments the packet type carries.</summary>
    public int ArgumentCount { get; }

    /// <summary>Argument <paramref name="index"/> as a slice of the payload.</summary>
    public ReadOnlyMemory<byte> Argument(int index)
    {
        if ((uint)index >= (uint)ArgumentCount)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"{Type} has {ArgumentCount} arguments");
        int start = index == 0 ? 0 : _ends[index - 1] + 1;
        int end = index == ArgumentCount - 1 ? Payload.Length : _ends[index];
        return Payload[start..end];
    }

    /// <summary>Argument <paramref name="index"/> decoded as UTF-8.</summary>
    public string ArgumentString(int index) => Encoding.UTF8.GetString(Argument(index).Span);

    /// <summary>Splits a payload into the arguments its type defines, checking each against its limit.</summary>
    public static Packet Create(PacketMagic magic, PacketType type, ReadOnlyMemory<byte> payload)
    {
        var kinds = PacketSchema.Arguments(type);
        var ends = new Separators();
        var span = payload.Span;
        int start = 0;
        for (int i = 0; i < kinds.Length; i++)
        {
            int end;
            if (i == kinds.Length - 1)
            {
                end = span.Length;
            }
            else
            {
                int nul = span[start..].IndexOf((byte)0);
                if (nul < 0)
                    throw new GearmanProtocolException(ProtocolError.InvalidPacket,
                        $"{type} needs {kinds.Length} arguments, payload has {i + 1}");
                end = start + nul;
                ends[i] = end;
            }
            CheckLength(type, kinds[i], end - start);
            start = end + 1;
        }
        if (kinds.Length == 0 && span.Length != 0)
            throw new GearmanProtocolException(ProtocolError.InvalidPacket, $"{type} takes no arguments, payload has {span.Length} bytes");
        return new Packet(magic, type, payload, ends, kinds.Length);
    }

    private static void CheckLength(PacketType type, ArgumentKind kind, int length)
    {
        int limit = kind switch
        {
            ArgumentKind.Function => PacketLimits.MaxFunctionLength,
            ArgumentKind.Unique => PacketLimits.MaxUniqueLength,
            ArgumentKind.Handle => PacketLimits.MaxHandleLength,
            _ => int.MaxValue,
        };
        if (length > limit)
            throw new GearmanProtocolException(ProtocolError.ArgumentTooLarge,
                $"{type}: {kind.ToString().ToLowerInvariant()} is {length} bytes, limit {limit}");
    }

    public override string ToString() => $"{Magic} {Type} ({Payload.Length} bytes)";

    [InlineArray(MaxArguments - 1)]
    internal struct Separators
    {
        private int _element;
    }
}
