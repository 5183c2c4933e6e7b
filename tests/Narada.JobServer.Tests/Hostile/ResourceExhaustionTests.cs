using System.Net.Sockets;
using Narada.Gearman.Protocol;
using Narada.JobServer.Tests.Support;
using Narada.Testing;

namespace Narada.JobServer.Tests.Hostile;

/// <summary>Floods of connections and peers that stop reading cost bounded memory and disturb nobody else.</summary>
public sealed class ResourceExhaustionTests
{
    [Fact]
    public async Task ConnectionFloodStillLeavesRoomForRealWork()
    {
        await using var server = await TestServer.StartAsync(ServerKind.Narada);
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
