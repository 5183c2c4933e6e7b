using System.Net.Sockets;
using Narada.Gearman.Protocol;
using Narada.JobServer.Tests.Support;
using Narada.Testing;

namespace Narada.JobServer.Tests.Hostile;

/// <summary>Floods of connections and peers that stop reading cost bounded memory and disturb nobody else.</summary>
public sealed class ResourceExhaustionTests
{
    [Theory]
    [MemberData(nameof(ServerKinds.Narada), MemberType = typeof(ServerKinds))]
    public async Task ConnectionFloodStillLeavesRoomForRealWork(ServerKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var flood = new List<Socket>();
        try
        {
            for (int i = 0; i < 500; i++)
            {
                var s = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await s.ConnectAsync("127.0.0.1", server.Port);
                if (i % 2 == 0)
                    await s.SendAsync("\0RE"u8.ToArray(), SocketFlags.None); // half a header, then silence
                flood.Add(s);
            }
            await Liveness.AssertServesAsync(server);
        }
        finally
        {
            foreach (var s in flood)
                s.Dispose();
        }
        await Retry.UntilAsync(async () =>
        {
            await using var admin = await RawConnection.ConnectAsync(server.Port);
            var workers = await admin.AdminAsync("workers", listing: true);
            return workers.Split('\n').Length < 10;
        }, "the flood's connections to be released");
    }

    /// <summary>
    /// Peers whose input never runs dry (packets that need no reply, sent without pause) must not hold the thread that
    /// reads them, which also reads other connections (an event loop thread).
    /// </summary>
    [Theory]
    [MemberData(nameof(ServerKinds.Narada), MemberType = typeof(ServerKinds))]
    public async Task PeersThatNeverPauseDoNotStarveTheOthers(ServerKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var block = new System.Buffers.ArrayBufferWriter<byte>();
        for (int i = 0; i < 2000; i++)
            PacketWriter.Write(block, PacketMagic.Request, PacketType.SetClientId, "flood"u8.ToArray());
        using var stop = new CancellationTokenSource();
        var flooders = new List<RawConnection>();
        var floods = new List<Task>();
        // several, so that every event thread of the server gets at least one
        for (int i = 0; i < 4; i++)
        {
            var flooder = await RawConnection.ConnectAsync(server.Port);
            flooders.Add(flooder);
            floods.Add(Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                    await flooder.Socket.SendAsync(block.WrittenMemory, SocketFlags.None, stop.Token);
            }));
        }
        try
        {
            await using var bystander = await RawConnection.ConnectAsync(server.Port);
            for (int i = 0; i < 20; i++)
            {
                await bystander.SendAsync(PacketType.EchoReq, $"ping {i}");
                Assert.Equal([$"ping {i}"], await bystander.ExpectAsync(PacketType.EchoRes, TimeSpan.FromSeconds(5)));
            }
            await Liveness.AssertServesAsync(server);
            Assert.All(floods, f => Assert.False(f.IsCompleted, $"a flooder stopped early: {f.Exception?.InnerException?.Message}"));
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(floods).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
            foreach (var flooder in flooders)
                await flooder.DisposeAsync();
        }
    }

    /// <summary>
    /// The replies that pile up may come from another connection: a worker streaming WORK_DATA to a client that stopped
    /// reading. That client is cut off too, its connection is cleaned up (the server still stops promptly), and the
    /// worker, which did nothing wrong, carries on.
    /// </summary>
    [Fact]
    public async Task ClientOverflowedByItsWorkersDataIsCutOffAndCleanedUp()
    {
        var server = await TestServer.StartAsync(ServerKind.Narada, new JobServerOptions { MaxOutboundBytes = 1 << 20 });
        try
        {
            await using var deaf = await RawConnection.ConnectAsync(server.Port, receiveBuffer: 4096);
            await using var worker = await RawConnection.ConnectAsync(server.Port);
            await worker.SendAsync(PacketType.CanDo, "stream");
            await deaf.SendAsync(PacketType.SubmitJob, "stream", "", "go");
            await deaf.ExpectAsync(PacketType.JobCreated);
            await worker.SendAsync(PacketType.GrabJob);
            var handle = (await worker.ExpectAsync(PacketType.JobAssign))[0];

            var chunk = PacketWriter.ToArray(PacketMagic.Request, PacketType.WorkData, System.Text.Encoding.ASCII.GetBytes(handle), new byte[64 * 1024]);
            await Retry.UntilAsync(async () =>
            {
                await worker.SendBytesAsync(chunk);
                await worker.SendAsync(PacketType.EchoReq, "sync");
                await worker.ExpectAsync(PacketType.EchoRes);
                await using var admin = await RawConnection.ConnectAsync(server.Port);
                return (await admin.AdminAsync("workers", listing: true)).Split('\n').Length <= 4; // admin, worker, "."
            }, "the deaf client to be cut off");

            await Liveness.AssertServesAsync(server);
        }
        finally
        {
            await server.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task ClientThatNeverReadsIsCutOffAndOthersCarryOn()
    {
        await using var server = await TestServer.StartAsync(ServerKind.Narada, new JobServerOptions { MaxOutboundBytes = 1 << 20 });
        await using var hog = await RawConnection.ConnectAsync(server.Port, receiveBuffer: 4096);
        var echo = PacketWriter.ToArray(PacketMagic.Request, PacketType.EchoReq, new byte[64 * 1024]);

        bool refused = false;
        try
        {
            for (int i = 0; i < 1000; i++)
                await hog.SendBytesAsync(echo);
        }
        catch (SocketException)
        {
            refused = true; // the server hung up on us mid-flood
        }

        Assert.True(refused || await hog.IsClosedByServerAsync(), "a peer that never reads must be disconnected");
        await Liveness.AssertServesAsync(server);
    }
}
