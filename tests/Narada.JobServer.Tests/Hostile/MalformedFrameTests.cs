using System.Buffers.Binary;
using System.Text;
using CsCheck;
using Narada.Gearman.Protocol;
using Narada.JobServer.Tests.Support;

namespace Narada.JobServer.Tests.Hostile;

/// <summary>Bad frames get an ERROR and a closed connection; everyone else keeps being served (Narada only: gearmand dies on some).</summary>
public sealed class MalformedFrameTests
{
    public static TheoryData<string, byte[], string> BadFrames() => new()
    {
        { "response magic", Frame("\0RES", 16, "hi"u8), ErrorCodes.InvalidMagic },
        { "response magic then 256 KiB of garbage", [.. Frame("\0RES", 16, "hi"u8), .. new byte[256 * 1024]], ErrorCodes.InvalidMagic },
        { "text after a NUL", "\0GET / HTTP/1.1\r\n\r\n"u8.ToArray(), ErrorCodes.InvalidMagic },
        { "type with the top bit set", Frame("\0REQ", 0x80000000, []), ErrorCodes.InvalidCommand },
        { "type 0", Frame("\0REQ", 0, []), ErrorCodes.InvalidCommand },
        { "type 43", Frame("\0REQ", 43, []), ErrorCodes.InvalidCommand },
        { "response-only JOB_CREATED", Frame("\0REQ", (uint)PacketType.JobCreated, "H:x:1"u8), ErrorCodes.InvalidCommand },
        { "response-only NOOP", Frame("\0REQ", (uint)PacketType.Noop, []), ErrorCodes.InvalidCommand },
        { "huge length field", Header("\0REQ", (uint)PacketType.EchoReq, 0xFFFFFFF0), ErrorCodes.ArgumentTooLarge },
        { "submit without separators", Frame("\0REQ", (uint)PacketType.SubmitJob, "no-nuls"u8), ErrorCodes.InvalidPacket },
        { "unique over 64 bytes", Frame("\0REQ", (uint)PacketType.SubmitJob, Encoding.ASCII.GetBytes("f\0" + new string('u', 65) + "\0data")), ErrorCodes.ArgumentTooLarge },
        { "payload on a no-argument type", Frame("\0REQ", (uint)PacketType.GrabJob, "junk"u8), ErrorCodes.InvalidPacket },
    };

    private static byte[] Header(string magic, uint type, uint length)
    {
        var frame = new byte[12];
        Encoding.Latin1.GetBytes(magic).CopyTo(frame, 0);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), type);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), length);
        return frame;
    }

    private static byte[] Frame(string magic, uint type, ReadOnlySpan<byte> payload) =>
        [.. Header(magic, type, (uint)payload.Length), .. payload];

    [Theory]
    [MemberData(nameof(BadFrames))]
    public async Task BadFrameGetsErrorAndClose(string what, byte[] frame, string code)
    {
        await using var server = await TestServer.StartAsync(ServerKind.Narada);
        await using var bystander = await RawConnection.ConnectAsync(server.Port);
        await using var offender = await RawConnection.ConnectAsync(server.Port);

        await offender.SendBytesAsync(frame);

        var error = await offender.ExpectAsync(PacketType.Error);
        Assert.True(code == error[0], $"{what}: got {error[0]} {error[1]}");
        Assert.True(await offender.IsClosedByServerAsync(), $"{what}: connection left open");
        await bystander.SendAsync(PacketType.EchoReq, "still here");
        Assert.Equal(["still here"], await bystander.ExpectAsync(PacketType.EchoRes));
        await Liveness.AssertServesAsync(server);
    }

    [Fact]
    public async Task OverlongAdminLineIsRefused()
    {
        await using var server = await TestServer.StartAsync(ServerKind.Narada);
        await using var admin = await RawConnection.ConnectAsync(server.Port);
        await admin.SendBytesAsync(Encoding.ASCII.GetBytes(new string('x', 10_000)));

        Assert.Equal("ERR LINE_TOO_LONG Command+line+too+long\r\n", await admin.AdminAsync("", listing: false));
        Assert.True(await admin.IsClosedByServerAsync());
        await Liveness.AssertServesAsync(server);
    }

    [Fact]
    public async Task TruncatedFramesThenHangUpLeaveTheServerServing()
    {
        await using var server = await TestServer.StartAsync(ServerKind.Narada);
        var whole = PacketWriter.ToArray(PacketMagic.Request, PacketType.SubmitJob, "f"u8.ToArray(), ""u8.ToArray(), new byte[100]);
        for (int cut = 1; cut < whole.Length; cut += 7)
        {
            await using var c = await RawConnection.ConnectAsync(server.Port);
            await c.SendBytesAsync(whole.AsMemory(0, cut));
        }
        await Liveness.AssertServesAsync(server);
    }

    [Fact]
    public async Task RandomAndMutatedFramesNeverStopTheServer()
    {
        await using var server = await TestServer.StartAsync(ServerKind.Narada);
        var valid = new[]
        {
            PacketWriter.ToArray(PacketMagic.Request, PacketType.SubmitJob, "fn"u8.ToArray(), "u"u8.ToArray(), "data"u8.ToArray()),
            PacketWriter.ToArray(PacketMagic.Request, PacketType.CanDo, "fn"u8.ToArray()),
            PacketWriter.ToArray(PacketMagic.Request, PacketType.WorkComplete, "H:test:1"u8.ToArray(), "x"u8.ToArray()),
            PacketWriter.ToArray(PacketMagic.Request, PacketType.SubmitJobEpoch, "fn"u8.ToArray(), ""u8.ToArray(), "123"u8.ToArray(), "d"u8.ToArray()),
        };
        var mutated = Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Int[0, 63], Gen.Byte, Gen.Int[0, 3],
            (which, position, value, mode) =>
            {
                var frame = (byte[])valid[which].Clone();
                int at = position % frame.Length;
                switch (mode)
                {
                    case 0: frame[at] = value; break;
                    case 1: frame = frame[..at]; break;
                    case 2: BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)(value << 24 | position)); break;
                    default: BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), (uint)(value * 1_000_003)); break;
                }
                return frame;
            });
        var random = Gen.Byte.Array[1, 64].Select(bytes => { bytes[0] = 0; return bytes; });
        var frames = new List<byte[]>();
        Gen.OneOf(mutated, random).Sample(frame => { lock (frames) frames.Add(frame); }, iter: 200, threads: 1);

        await Parallel.ForEachAsync(frames, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (frame, _) =>
        {
            await using var c = await RawConnection.ConnectAsync(server.Port);
            await c.SendBytesAsync(frame);
        });

        await Liveness.AssertServesAsync(server);
    }
}
