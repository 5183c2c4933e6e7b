using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Narada.Gearman.Protocol;
using Narada.Gearman.Transport;
using Narada.Testing;

namespace Narada.Gearman.Tests.Transport;

[Trait("Category", "Peers")]
public class GearmanConnectionTests
{
    [Fact]
    public async Task Pipelined_echoes_come_back_from_gearmand_in_order()
    {
        await using var gearmand = await GearmandServer.StartAsync();
        var received = Channel.CreateUnbounded<Packet>();
        await using var connection = await GearmanConnection.ConnectAsync(new ServerAddress(gearmand.Host, gearmand.Port),
            p => received.Writer.WriteAsync(p));

        const int count = 500;
        await Task.WhenAll(Enumerable.Range(0, count).Select(i =>
            connection.SendAsync(PacketType.EchoReq, Encoding.ASCII.GetBytes($"echo {i}")).AsTask()));

        var seen = new HashSet<string>();
        for (int i = 0; i < count; i++)
        {
            var packet = await received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(PacketType.EchoRes, packet.Type);
            Assert.True(seen.Add(packet.ArgumentString(0)));
        }
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"echo {i}").ToHashSet(), seen);
    }

    [Fact]
    public async Task Keepalive_probes_a_quiet_connection_after_a_minute_not_two_hours()
    {
        // A sleeping worker sends nothing; only keepalive tells it the server's host died or rebooted.
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        listener.Listen();
        int port = ((System.Net.IPEndPoint)listener.LocalEndPoint!).Port;
        await using var connection = await GearmanConnection.ConnectAsync(new ServerAddress("127.0.0.1", port), _ => ValueTask.CompletedTask);
        using var accepted = await listener.AcceptAsync();
        int clientPort = ((System.Net.IPEndPoint)accepted.RemoteEndPoint!).Port;

        var line = Assert.Single(await SocketTimers.LinesAsync(clientPort));

        Assert.InRange(SocketTimers.KeepAliveDueSeconds(line) ?? int.MaxValue, 50, 60);
    }

    /// <summary>
    /// Senders on many threads, with payloads from empty to several times the size at which senders wait for room: every
    /// packet arrives whole, and each sender's packets arrive in the order it sent them.
    /// </summary>
    [Fact]
    public async Task Concurrent_senders_of_small_and_huge_packets_each_arrive_whole_and_in_their_senders_order()
    {
        await using var gearmand = await GearmandServer.StartAsync();
        var received = Channel.CreateUnbounded<Packet>();
        await using var connection = await GearmanConnection.ConnectAsync(new ServerAddress(gearmand.Host, gearmand.Port),
            p => received.Writer.WriteAsync(p));

        const int senders = 4, each = 60;
        int[] sizes = [0, 10, 5000, 3 << 20, 70_000, 1];
        await Task.WhenAll(Enumerable.Range(0, senders).Select(s => Task.Run(async () =>
        {
            for (int i = 0; i < each; i++)
                await connection.SendAsync(PacketType.EchoReq, Echo(s, i, sizes[(s + i) % sizes.Length]));
        })));

        var next = new int[senders];
        for (int n = 0; n < senders * each; n++)
        {
            var packet = await received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20));
            var data = packet.Argument(0).ToArray();
            int s = data[0], i = BitConverter.ToInt32(data, 1);
            Assert.Equal(next[s]++, i);
            Assert.Equal(Echo(s, i, sizes[(s + i) % sizes.Length]), data);
        }
        Assert.All(next, count => Assert.Equal(each, count));

        // sender, sequence number, then a filler that depends on both
        static byte[] Echo(int sender, int i, int filler)
        {
            var data = new byte[5 + filler];
            data[0] = (byte)sender;
            BitConverter.TryWriteBytes(data.AsSpan(1), i);
            for (int k = 5; k < data.Length; k++)
                data[k] = (byte)(sender * 31 + i + k);
            return data;
        }
    }

    [Fact]
    public async Task Repeated_packets_each_reach_the_server()
    {
        await using var gearmand = await GearmandServer.StartAsync();
        var received = Channel.CreateUnbounded<Packet>();
        await using var connection = await GearmanConnection.ConnectAsync(new ServerAddress(gearmand.Host, gearmand.Port),
            p => received.Writer.WriteAsync(p));

        await connection.SendAsync(PacketType.GrabJobUniq, times: 3);
        await connection.SendAsync(PacketType.EchoReq, "after"u8.ToArray());

        // gearmand answers each grab of a worker with nothing to do, in order, before the echo
        for (int i = 0; i < 3; i++)
            Assert.Equal(PacketType.NoJob, (await received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10))).Type);
        Assert.Equal(PacketType.EchoRes, (await received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10))).Type);
    }

    [Fact]
    public async Task A_server_going_away_completes_the_connection_with_a_connection_error()
    {
        var gearmand = await GearmandServer.StartAsync();
        await using var connection = await GearmanConnection.ConnectAsync(new ServerAddress(gearmand.Host, gearmand.Port),
            _ => ValueTask.CompletedTask);
        await gearmand.DisposeAsync();

        await Assert.ThrowsAsync<GearmanConnectionException>(() => connection.Completion.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(connection.IsOpen);
        await Assert.ThrowsAsync<GearmanConnectionException>(() => connection.SendAsync(PacketType.EchoReq, new byte[] { 1 }).AsTask());
    }

    [Fact]
    public async Task Senders_racing_a_dying_server_only_ever_see_connection_errors()
    {
        var gearmand = await GearmandServer.StartAsync();
        await using var connection = await GearmanConnection.ConnectAsync(new ServerAddress(gearmand.Host, gearmand.Port),
            _ => ValueTask.CompletedTask);
        var failures = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        using var stop = new CancellationTokenSource();
        var senders = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await connection.SendAsync(PacketType.EchoReq, new byte[] { 1, 2, 3 });
                }
                catch (Exception e)
                {
                    failures.Add(e);
                    return;
                }
            }
        })).ToArray();
        await Task.Delay(50);
        await gearmand.DisposeAsync();
        await Task.WhenAll(senders).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(8, failures.Count);
        Assert.All(failures, e => Assert.IsType<GearmanConnectionException>(e));
    }

    /// <summary>
    /// A server that stops reading fills the socket and then the connection's pending buffer, so senders wait for room; when
    /// that server then resets the connection, every waiting sender must fail, not wait for ever.
    /// </summary>
    [Fact]
    public async Task Senders_waiting_for_room_fail_when_a_server_that_stopped_reading_resets()
    {
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        listener.Listen(1);
        var accepting = listener.AcceptAsync();
        var port = ((System.Net.IPEndPoint)listener.LocalEndPoint!).Port;
        await using var connection = await GearmanConnection.ConnectAsync(new ServerAddress("127.0.0.1", port), _ => ValueTask.CompletedTask);
        using var server = await accepting;
        var big = new byte[256 * 1024];
        var senders = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (true)
                await connection.SendAsync(PacketType.EchoReq, big);
        })).ToArray();

        // until nobody gets through any more: the kernel buffers and the 1 MiB pending buffer are full
        await Retry.UntilAsync(async () =>
        {
            var probe = connection.SendAsync(PacketType.EchoReq, big).AsTask();
            return await Task.WhenAny(probe, Task.Delay(300)) != probe;
        }, "the senders to be blocked on a full pending buffer");
        server.LingerState = new LingerOption(true, 0);
        server.Close(); // RST

        foreach (var sender in senders)
            await Assert.ThrowsAsync<GearmanConnectionException>(() => sender.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Connecting_to_a_closed_port_fails_with_a_socket_error()
    {
        var address = new ServerAddress("127.0.0.1", FreePort.Next());
        await Assert.ThrowsAsync<SocketException>(() =>
            GearmanConnection.ConnectAsync(address, _ => ValueTask.CompletedTask).AsTask());
    }
}
