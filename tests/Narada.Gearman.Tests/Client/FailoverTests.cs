using System.Text;
using Narada.Gearman.Client;
using Narada.Testing;

namespace Narada.Gearman.Tests.Client;

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
