using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Narada.Gearman.Client;
using Narada.Gearman.Protocol;
using Narada.Gearman.Transport;
using Narada.Testing;

namespace Narada.Gearman.Tests.Client;

[Trait("Category", "Peers")]
public sealed class FailoverTests
{
    [Fact]
    public async Task A_unique_goes_to_its_hashed_server_and_fails_over_when_that_server_dies()
    {
        var a = await GearmandServer.StartAsync();
        try
        {
            await using var b = await GearmandServer.StartAsync();
            await using var workerA = Peers.GearmanWorker(a, "upper", "tr", "a-z", "A-Z");
            await using var workerB = Peers.GearmanWorker(b, "upper", "tr", "a-z", "A-Z");
            await Peers.WaitForWorkersAsync(a, "upper", worker: workerA);
            await Peers.WaitForWorkersAsync(b, "upper", worker: workerB);
            await using var client = Peers.Client(a, b);
            string onA = UniqueFor(serverIndex: 0, servers: 2);
            string onB = UniqueFor(serverIndex: 1, servers: 2);

            var first = await client.SubmitAsync("upper", "first"u8.ToArray(), new JobOptions { Unique = onA });
            var other = await client.SubmitAsync("upper", "other"u8.ToArray(), new JobOptions { Unique = onB });
            Assert.Equal(a.Port, first.Handle.Server.Port);
            Assert.Equal(b.Port, other.Handle.Server.Port);
            Assert.Equal("FIRST", first.DataAsString());

            await a.DisposeAsync();
            var afterKill = await client.SubmitAsync("upper", "second"u8.ToArray(), new JobOptions { Unique = onA });
            var marked = await client.SubmitAsync("upper", "third"u8.ToArray(), new JobOptions { Unique = onA });

            Assert.Equal(b.Port, afterKill.Handle.Server.Port);
            Assert.Equal("SECOND", afterKill.DataAsString());
            Assert.Equal(b.Port, marked.Handle.Server.Port);
            Assert.Equal("THIRD", marked.DataAsString());
        }
        finally
        {
            await a.DisposeAsync();
        }
    }

    [Fact]
    public async Task Jobs_without_a_unique_go_to_the_first_reachable_server()
    {
        int deadPort = FreePort.Next();
        await using var live = await GearmandServer.StartAsync();
        await using var worker = Peers.GearmanWorker(live, "upper", "tr", "a-z", "A-Z");
        await Peers.WaitForWorkersAsync(live, "upper", worker: worker);
        var options = new GearmanClientOptions { Servers = [new("127.0.0.1", deadPort), Peers.Address(live)] };
        await using var client = new GearmanClient(options);

        var result = await client.SubmitAsync("upper", "x"u8.ToArray());

        Assert.Equal(live.Port, result.Handle.Server.Port);
        Assert.Equal("X", result.DataAsString());
    }

    [Fact]
    public async Task A_broken_connection_fails_its_jobs_and_the_next_call_reconnects()
    {
        int port = FreePort.Next();
        string[] args = ["--listen=127.0.0.1", $"--port={port}", "--log-file=stderr", "--verbose=ERROR"];
        var server = ExternalProcess.Start(RequiredTool.Gearmand, args);
        await GearmandServer.WaitForListenerAsync(port, () => server.HasExited ? server.Stderr : null);
        await using var client = new GearmanClient(new GearmanClientOptions { Servers = [new("127.0.0.1", port)] });

        var waiting = await client.StartAsync("nobody-serves-this", "x"u8.ToArray());
        await server.DisposeAsync();
        var error = await Assert.ThrowsAsync<Narada.Gearman.Transport.GearmanConnectionException>(() => waiting.Completion);
        Assert.Equal(port, error.Server.Port);

        await using var restarted = ExternalProcess.Start(RequiredTool.Gearmand, args);
        await GearmandServer.WaitForListenerAsync(port, () => restarted.HasExited ? restarted.Stderr : null);
        var echo = await client.EchoAsync("back"u8.ToArray());
        Assert.Equal("back", Encoding.UTF8.GetString(echo.Span));
    }

    [Fact]
    public async Task A_submit_whose_connection_breaks_before_job_created_goes_to_the_next_server()
    {
        // The first server answers the echo that opens the client's connection, then hangs up on the submit and stops
        // listening: the job was sent on an open connection but never accepted, so it must go to the second server.
        using var first = new TcpListener(IPAddress.Loopback, 0);
        first.Start();
        var sawSubmit = new TaskCompletionSource<PacketType>(TaskCreationOptions.RunContinuationsAsynchronously);
        var hangingUp = Task.Run(async () =>
        {
            using var peer = await first.AcceptSocketAsync();
            first.Stop();
            var header = new byte[PacketHeader.Size];
            while (true)
            {
                await ReceiveExactlyAsync(peer, header);
                var type = (PacketType)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
                var payload = new byte[BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(8))];
                await ReceiveExactlyAsync(peer, payload);
                if (type != PacketType.EchoReq)
                {
                    sawSubmit.TrySetResult(type);
                    return;
                }
                await peer.SendAsync(PacketWriter.ToArray(PacketMagic.Response, PacketType.EchoRes, payload), SocketFlags.None);
            }
        });
        await using var live = await GearmandServer.StartAsync();
        await using var worker = Peers.GearmanWorker(live, "upper", "tr", "a-z", "A-Z");
        await Peers.WaitForWorkersAsync(live, "upper", worker: worker);
        var firstAddress = new ServerAddress("127.0.0.1", ((IPEndPoint)first.LocalEndpoint).Port);
        await using var client = new GearmanClient(new GearmanClientOptions { Servers = [firstAddress, Peers.Address(live)] });
        Assert.Equal("open", Encoding.UTF8.GetString((await client.EchoAsync("open"u8.ToArray())).Span));

        var result = await client.SubmitAsync("upper", "moved"u8.ToArray());

        Assert.Equal(PacketType.SubmitJob, await sawSubmit.Task);
        await hangingUp;
        Assert.Equal(live.Port, result.Handle.Server.Port);
        Assert.Equal("MOVED", result.DataAsString());
    }

    private static async Task ReceiveExactlyAsync(Socket peer, byte[] buffer)
    {
        for (int read = 0; read < buffer.Length;)
        {
            int n = await peer.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None);
            if (n == 0)
                throw new IOException("the client closed the connection");
            read += n;
        }
    }

    private static string UniqueFor(int serverIndex, int servers)
    {
        for (int i = 0; ; i++)
        {
            string unique = $"key-{i}";
            if (UniqueHash.ServerIndex(Encoding.UTF8.GetBytes(unique), servers) == serverIndex)
                return unique;
        }
    }
}
