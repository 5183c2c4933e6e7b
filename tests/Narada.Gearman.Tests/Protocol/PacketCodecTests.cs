using System.Buffers;
using System.Buffers.Binary;
using CsCheck;
using Narada.Gearman.Protocol;

namespace Narada.Gearman.Tests.Protocol;

public class PacketCodecTests
{
    private static readonly PacketType[] AllTypes = Enum.GetValues<PacketType>();

    private static Gen<byte[]> ArgumentGen(ArgumentKind kind, bool last)
    {
        int max = kind switch
        {
            ArgumentKind.Function => PacketLimits.MaxFunctionLength,
            ArgumentKind.Unique => PacketLimits.MaxUniqueLength,
            ArgumentKind.Handle => PacketLimits.MaxHandleLength,
            _ => 300,
        };
        var bytes = last ? Gen.Byte : Gen.Byte[1, 255];
        return bytes.Array[0, max];
    }

    private static Gen<(PacketType Type, byte[][] Args)> PacketGen =>
        Gen.OneOf(AllTypes).SelectMany(type =>
        {
            var kinds = PacketSchema.Arguments(type).ToArray();
            var gens = kinds.Select((k, i) => ArgumentGen(k, i == kinds.Length - 1)).ToArray();
            return Gen.Select(gens.Length == 0 ? Gen.Const(Array.Empty<byte[]>()) : CombineGens(gens), args => (type, args));
        });

    private static Gen<byte[][]> CombineGens(Gen<byte[]>[] gens) =>
        gens.Aggregate(Gen.Const(Array.Empty<byte[]>()), (acc, g) => acc.SelectMany(a => g.Select(b => (byte[][])[.. a, b])));

    private static ReadOnlySequence<byte> Seq(byte[] bytes) => new(bytes);

    private static byte[] Encode(PacketMagic magic, PacketType type, byte[][] args) =>
        PacketWriter.ToArray(magic, type, args.Select(a => (ReadOnlyMemory<byte>)a).ToArray());

    [Fact]
    public void Every_type_round_trips_through_writer_and_reader()
    {
        PacketGen.Sample(p =>
        {
            foreach (var magic in new[] { PacketMagic.Request, PacketMagic.Response })
            {
                var buffer = Seq(Encode(magic, p.Type, p.Args));
                Assert.True(PacketReader.TryRead(ref buffer, magic, PacketLimits.Default, out var packet));
                Assert.True(buffer.IsEmpty);
                Assert.Equal(p.Type, packet.Type);
                Assert.Equal(p.Args.Length, packet.ArgumentCount);
                for (int i = 0; i < p.Args.Length; i++)
                    Assert.Equal(p.Args[i], packet.Argument(i).ToArray());
            }
        }, iter: 3000);
    }

    /// <summary>
    /// Pipes hand the reader several packets cut into segments anywhere (inside a header, inside a payload, between
    /// packets); the reader takes a fast path when a packet lies in the first segment, and must agree with itself.
    /// </summary>
    [Fact]
    public void Packets_cut_into_segments_anywhere_read_the_same()
    {
        var packets = PacketGen.Array[1, 5];
        Gen.Select(packets, Gen.Int[1, 40].Array[0, 12]).Sample((list, cuts) =>
        {
            var bytes = list.SelectMany(p => Encode(PacketMagic.Request, p.Type, p.Args)).ToArray();
            var buffer = Segments(bytes, cuts);
            foreach (var (type, args) in list)
            {
                Assert.True(PacketReader.TryRead(ref buffer, PacketMagic.Request, PacketLimits.Default, out var packet));
                Assert.Equal(type, packet.Type);
                for (int i = 0; i < args.Length; i++)
                    Assert.Equal(args[i], packet.Argument(i).ToArray());
            }
            Assert.True(buffer.IsEmpty);
        }, iter: 2000);
    }

    /// <summary>The bytes as a chain of segments of the given lengths (the rest in a last one).</summary>
    private static ReadOnlySequence<byte> Segments(byte[] bytes, int[] lengths)
    {
        var first = new Segment(ReadOnlyMemory<byte>.Empty, 0);
        var last = first;
        int at = 0;
        foreach (int length in lengths.Append(int.MaxValue))
        {
            int take = Math.Min(length, bytes.Length - at);
            if (take <= 0)
                break;
            last = last.Append(bytes.AsMemory(at, take));
            at += take;
        }
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }

    [Fact]
    public void A_frame_arriving_byte_by_byte_is_read_only_when_complete()
    {
        var bytes = Encode(PacketMagic.Request, PacketType.SubmitJob, ["reverse"u8.ToArray(), "u1"u8.ToArray(), "Hello World!"u8.ToArray()]);
        for (int have = 0; have < bytes.Length; have++)
        {
            var partial = Seq(bytes[..have]);
            Assert.False(PacketReader.TryRead(ref partial, PacketMagic.Request, PacketLimits.Default, out _));
            Assert.Equal(have, partial.Length);
        }
        var whole = Seq(bytes);
        Assert.True(PacketReader.TryRead(ref whole, PacketMagic.Request, PacketLimits.Default, out var packet));
        Assert.Equal("Hello World!", packet.ArgumentString(2));
    }

    [Fact]
    public void Two_frames_in_one_buffer_are_read_one_after_the_other()
    {
        var bytes = Encode(PacketMagic.Response, PacketType.Noop, []).Concat(
            Encode(PacketMagic.Response, PacketType.JobCreated, ["H:x:1"u8.ToArray()])).ToArray();
        var buffer = Seq(bytes);
        Assert.True(PacketReader.TryRead(ref buffer, PacketMagic.Response, PacketLimits.Default, out var first));
        Assert.True(PacketReader.TryRead(ref buffer, PacketMagic.Response, PacketLimits.Default, out var second));
        Assert.Equal(PacketType.Noop, first.Type);
        Assert.Equal("H:x:1", second.ArgumentString(0));
        Assert.True(buffer.IsEmpty);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(5u)]
    [InlineData(43u)]
    [InlineData(0x7fffffffu)]
    [InlineData(0x80000000u)]
    [InlineData(0xffffffffu)]
    public void Undefined_types_are_invalid_commands(uint type)
    {
        var error = ReadError(Header("\0REQ"u8, type, 0));
        Assert.Equal(ProtocolError.InvalidCommand, error.Error);
        Assert.Equal("INVALID_COMMAND", error.Code);
    }

    [Fact]
    public void Wrong_magic_is_reported_as_soon_as_its_first_bytes_arrive()
    {
        Assert.Equal(ProtocolError.InvalidMagic, ReadError(Header("\0RES"u8, 7, 0)).Error);
        Assert.Equal(ProtocolError.InvalidMagic, ReadError("\0RES"u8.ToArray()).Error);
        Assert.Equal(ProtocolError.InvalidMagic, ReadError("sta"u8.ToArray()).Error);

        var validPrefix = Seq("\0RE"u8.ToArray());
        Assert.False(PacketReader.TryRead(ref validPrefix, PacketMagic.Request, PacketLimits.Default, out _));
    }

    [Fact]
    public void An_oversize_length_is_refused_before_its_payload_is_buffered()
    {
        var limits = new PacketLimits { MaxPayloadLength = 1024 };
        var buffer = Seq(Header("\0REQ"u8, (uint)PacketType.SubmitJob, 1025));
        var e = Assert.Throws<GearmanProtocolException>(() => PacketReader.TryRead(ref buffer, PacketMagic.Request, limits, out _));
        Assert.Equal(ProtocolError.ArgumentTooLarge, e.Error);
    }

    [Fact]
    public void Missing_arguments_and_overlong_names_are_typed_errors()
    {
        var submitWithTwoArgs = Frame("\0REQ"u8, PacketType.SubmitJob, "reverse\0only-one"u8.ToArray());
        Assert.Equal(ProtocolError.InvalidPacket, ReadError(submitWithTwoArgs).Error);

        var longFunction = Frame("\0REQ"u8, PacketType.CanDo, new byte[PacketLimits.MaxFunctionLength + 1]);
        Assert.Equal(ProtocolError.ArgumentTooLarge, ReadError(longFunction).Error);

        var longUnique = Encode(PacketMagic.Request, PacketType.SubmitJobBg,
            ["f"u8.ToArray(), new byte[PacketLimits.MaxUniqueLength + 1].Select(_ => (byte)'u').ToArray(), []]);
        Assert.Equal(ProtocolError.ArgumentTooLarge, ReadError(longUnique).Error);

        var grabWithPayload = Frame("\0REQ"u8, PacketType.GrabJob, "x"u8.ToArray());
        Assert.Equal(ProtocolError.InvalidPacket, ReadError(grabWithPayload).Error);
    }

    [Fact]
    public void The_last_argument_may_carry_nul_bytes_the_others_may_not()
    {
        var data = new byte[] { 1, 0, 2, 0, 0 };
        var buffer = Seq(Encode(PacketMagic.Response, PacketType.WorkComplete, ["H:h:1"u8.ToArray(), data]));
        Assert.True(PacketReader.TryRead(ref buffer, PacketMagic.Response, PacketLimits.Default, out var packet));
        Assert.Equal(data, packet.Argument(1).ToArray());
        Assert.Throws<ArgumentException>(() => Encode(PacketMagic.Request, PacketType.SubmitJob, [[0x66, 0], [], []]));
    }

    [Fact]
    public void Arbitrary_bytes_never_throw_anything_but_a_protocol_error()
    {
        var valid = Encode(PacketMagic.Request, PacketType.SubmitJob, ["f"u8.ToArray(), "u"u8.ToArray(), "d"u8.ToArray()]);
        var mutated = Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Byte, (i, v) => (i, v)).Array[1, 6]
            .Select(edits => { var b = (byte[])valid.Clone(); foreach (var (i, v) in edits) b[i] = v; return b; });
        var random = Gen.Byte.Array[0, 64];
        Gen.OneOf(mutated, random, random.Select(r => "\0REQ"u8.ToArray().Concat(r).ToArray())).Sample(bytes =>
        {
            var buffer = Seq(bytes);
            try
            {
                while (PacketReader.TryRead(ref buffer, PacketMagic.Request, new PacketLimits { MaxPayloadLength = 256 }, out var p))
                    for (int i = 0; i < p.ArgumentCount; i++)
                        _ = p.Argument(i);
            }
            catch (GearmanProtocolException)
            {
            }
        }, iter: 20000);
    }

    private static GearmanProtocolException ReadError(byte[] bytes)
    {
        var buffer = Seq(bytes);
        return Assert.Throws<GearmanProtocolException>(() =>
            PacketReader.TryRead(ref buffer, PacketMagic.Request, PacketLimits.Default, out _));
    }

    private static byte[] Header(ReadOnlySpan<byte> magic, uint type, uint length)
    {
        var h = new byte[PacketHeader.Size];
        magic.CopyTo(h);
        BinaryPrimitives.WriteUInt32BigEndian(h.AsSpan(4), type);
        BinaryPrimitives.WriteUInt32BigEndian(h.AsSpan(8), length);
        return h;
    }

    private static byte[] Frame(ReadOnlySpan<byte> magic, PacketType type, byte[] payload) =>
        Header(magic, (uint)type, (uint)payload.Length).Concat(payload).ToArray();
}
