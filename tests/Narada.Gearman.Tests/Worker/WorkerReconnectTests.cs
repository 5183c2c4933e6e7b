using System.Net;
using System.Net.Sockets;
using System.Text;
using Narada.Gearman.Transport;
using Narada.Gearman.Worker;
using Narada.Testing;

namespace Narada.Gearman.Tests.Worker;

/// <summary>Each server connection lives on its own: it reconnects and re-registers, and a dead server stalls no other.</summary>
[Trait("Category", "Peers")]
public sealed class WorkerReconnectTests
{
    private static readonly JobHandler Echo = (job, _) => ValueTask.FromResult(job.Payload);

    [Fact]
    public async Task Worker_reregisters_with_a_gearmand_restarted_on_the_same_port_and_serves_it()
    {
        int port = FreePort.Next();
        await using var first = await GearmanTools.StartGearmandAsync(port);
        var options = new GearmanWorkerOptions
        {
            Servers = [new ServerAddress("127.0.0.1", port)],
            ClientId = "narada-reconnect-test",
            ReconnectMinDelay = TimeSpan.FromMilliseconds(20),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
        };
        await using var worker = await RunningWorker.StartAsync(options, w => w.Register("echo", Echo));
        await Retry.UntilAsync(async () => HasWorker(await GearmanTools.WorkersAsync(port), "narada-reconnect-test", "echo"),
            "the first gearmand to list the worker");

        await first.DisposeAsync();
        await using var second = await GearmanTools.StartGearmandAsync(port);

        await Retry.UntilAsync(async () => HasWorker(await GearmanTools.WorkersAsync(port), "narada-reconnect-test", "echo"),
            "the restarted gearmand to list the worker with its client id and function");
        var result = await GearmanTools.GearmanAsync(port, "-f", "echo", "after restart");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("after restart\n", result.Stdout);
    }

    [Fact]
    public async Task Worker_serves_jobs_from_either_of_two_servers_and_keeps_serving_one_when_the_other_dies()
    {
        await using var one = await GearmandServer.StartAsync();
        await using var two = await GearmandServer.StartAsync();
        await using var worker = await RunningWorker.StartAsync(RunningWorker.Options(one, two), w => w.Register("where", (job, _) =>
            ValueTask.FromResult<ReadOnlyMemory<byte>>(Encoding.UTF8.GetBytes(job.Server.Port.ToString()))));
        await Retry.UntilAsync(async () => (await GearmanTools.StatusAsync(two.Port)).GetValueOrDefault("where").Workers == 1,
            "both servers to know the worker");

        Assert.Equal($"{one.Port}\n", (await GearmanTools.GearmanAsync(one, "-f", "where")).Stdout);
        Assert.Equal($"{two.Port}\n", (await GearmanTools.GearmanAsync(two, "-f", "where")).Stdout);

        await one.DisposeAsync();
        for (int i = 0; i < 3; i++)
        {
            var result = await GearmanTools.GearmanAsync(two, "-f", "where");
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal($"{two.Port}\n", result.Stdout);
        }
        Assert.Equal(5, worker.Worker.JobsCompleted);
    }

    [Fact]
    public async Task Refusing_and_silent_servers_do_not_keep_the_worker_from_the_live_one()
    {
        await using var live = await GearmandServer.StartAsync();
        // accepts connections (the kernel completes the handshake) but never reads or answers
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var options = RunningWorker.Options(live) with
        {
            Servers =
            [
                new ServerAddress("127.0.0.1", FreePort.Next()),
                new ServerAddress("127.0.0.1", ((IPEndPoint)silent.LocalEndpoint).Port),
                new ServerAddress(live.Host, live.Port),
            ],
        };
        await using var worker = await RunningWorker.StartAsync(options, w => w.Register("echo", Echo));

        var result = await GearmanTools.GearmanAsync(live, "-f", "echo", "still here");

        Assert.Equal("still here\n", result.Stdout);
    }

    private static bool HasWorker(List<(string ClientId, string[] Functions)> workers, string clientId, string function) =>
        workers.Any(w => w.ClientId == clientId && w.Functions.Contains(function));
}
