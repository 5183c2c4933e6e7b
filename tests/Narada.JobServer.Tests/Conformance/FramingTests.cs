using System.Security.Cryptography;
using System.Text;
using Narada.Gearman.Protocol;
using Narada.JobServer.Tests.Support;

namespace Narada.JobServer.Tests.Conformance;

/// <summary>
/// TCP is a byte stream: packets arrive cut anywhere, many to a read, or bigger than any read buffer. Narada's event loop
/// reads into one shared buffer and keeps only unfinished packets, so these cover each of its paths.
/// </summary>
public sealed class FramingTests
{
    [Theory]
    [MemberData(nameof(ServerKinds.All), MemberType = typeof(ServerKinds))]
    public async Task APacketDribbledOneByteAtATimeStillRuns(ServerKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        await using var worker = await RawConnection.ConnectAsync(server.Port);
        await using var client = await RawConnection.ConnectAsync(server.Port);
        await worker.SendAsync(PacketType.CanDo, "dribble");
        var submit = PacketWriter.ToArray(PacketMagic.Request, PacketType.SubmitJob, "dribble"u8.ToArray(), "u-1"u8.ToArray(), "slowly"u8.ToArray());

        for (int i = 0; i < submit.Length; i++)
        {
            await client.SendBytesAsync(submit.AsMemory(i, 1));
            await Task.Delay(2); // each byte its own segment, most of them their own read
        }

        var handle = (await client.ExpectAsync(PacketType.JobCreated))[0];
        await worker.SendAsync(PacketType.GrabJobUniq);
        Assert.Equal([handle, "dribble", "u-1", "slowly"], await worker.ExpectAsync(PacketType.JobAssignUniq));
        await worker.SendAsync(PacketType.WorkComplete, handle, "done");
        Assert.Equal([handle, "done"], await client.ExpectAsync(PacketType.WorkComplete));
    }

    [Theory]
    [MemberData(nameof(ServerKinds.All), MemberType = typeof(ServerKinds))]
    public async Task AThreeMegabytePayloadArrivesWholeBothWays(ServerKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        await using var worker = await RawConnection.ConnectAsync(server.Port);
        await using var client = await RawConnection.ConnectAsync(server.Port);
        await worker.SendAsync(PacketType.CanDo, "big");
        var data = RandomNumberGenerator.GetBytes(3 * 1024 * 1024);

        // the big packet and half of the next one in one write, the other half later
        var echo = PacketWriter.ToArray(PacketMagic.Request, PacketType.EchoReq, "behind the big one"u8.ToArray());
        byte[] submitAndHalf = [.. PacketWriter.ToArray(PacketMagic.Request, PacketType.SubmitJob, "big"u8.ToArray(), ""u8.ToArray(), data), .. echo.AsSpan(0, 15)];
        await client.SendBytesAsync(submitAndHalf);
        var handle = (await client.ExpectAsync(PacketType.JobCreated))[0];
        await Task.Delay(50);
        await client.SendBytesAsync(echo.AsMemory(15));
        Assert.Equal(["behind the big one"], await client.ExpectAsync(PacketType.EchoRes));
        await worker.SendAsync(PacketType.GrabJob);
        var assigned = await worker.ReceiveAsync();
        Assert.Equal(PacketType.JobAssign, assigned.Type);
        Assert.True(data.AsSpan().SequenceEqual(assigned.Argument(2).Span), "the worker got different bytes");

        var reversed = data.Reverse().ToArray();
        await worker.SendBytesAsync(PacketWriter.ToArray(PacketMagic.Request, PacketType.WorkComplete, Encoding.ASCII.GetBytes(handle), reversed));
        var complete = await client.ReceiveAsync();
        Assert.Equal(PacketType.WorkComplete, complete.Type);
        Assert.True(reversed.AsSpan().SequenceEqual(complete.Argument(1).Span), "the client got different bytes");

        // and the connection is still in step afterwards
        await client.SendAsync(PacketType.EchoReq, "after");
        Assert.Equal(["after"], await client.ExpectAsync(PacketType.EchoRes));
    }

    [Theory]
    [MemberData(nameof(ServerKinds.All), MemberType = typeof(ServerKinds))]
    public async Task TwoThousandPacketsInOneWriteAreAnsweredInOrder(ServerKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        await using var client = await RawConnection.ConnectAsync(server.Port);
        var burst = new System.Buffers.ArrayBufferWriter<byte>();
        for (int i = 0; i < 2000; i++)
            PacketWriter.Write(burst, PacketMagic.Request, PacketType.EchoReq, Encoding.ASCII.GetBytes($"echo {i}"));

        await client.SendBytesAsync(burst.WrittenMemory);

        for (int i = 0; i < 2000; i++)
            Assert.Equal([$"echo {i}"], await client.ExpectAsync(PacketType.EchoRes));
    }
}
