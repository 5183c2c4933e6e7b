using Narada.Gearman.Protocol;
using Narada.JobServer.Tests.Support;
using Narada.Testing;

namespace Narada.JobServer.Tests.Engine;

/// <summary>Where Narada is meant to be better than gearmand 1.1: global priority, fair rotation, one wake-up per job, limits.</summary>
public sealed class DispatchTests
{
    [Fact]
    public async Task PriorityIsGlobalAcrossTheWorkersFunctions()
    {
        await using var server = await TestServer.StartAsync(ServerKind.Narada);
        await using var client = await RawConnection.ConnectAsync(server.Port);
        await client.SendAsync(PacketType.SubmitJobBg, "first", "", "first-normal");
        await client.SendAsync(PacketType.SubmitJobLowBg, "first", "", "first-low");
        await client.SendAsync(PacketType.SubmitJobHighBg, "second", "", "second-high");
        for (int i = 0; i < 3; i++)
            await client.ExpectAsync(PacketType.JobCreated);

        var order = await DrainAsync(server, 3, "first", "second");

        Assert.Equal(["second-high", "first-normal", "first-low"], order);
    }

    [Fact]
    public async Task EqualPriorityRotatesAcrossFunctionsSoNoneStarves()
    {
        await using var server = await TestServer.StartAsync(ServerKind.Narada);
        await using var client = await RawConnection.ConnectAsync(server.Port);
        for (int i = 0; i < 3; i++)
        {
            await client.SendAsync(PacketType.SubmitJobBg, "flood", "", $"flood{i}");
            await client.ExpectAsync(PacketType.JobCreated);
        }
        await client.SendAsync(PacketType.SubmitJobBg, "trickle", "", "trickle0");
        await client.ExpectAsync(PacketType.JobCreated);

        var order = await DrainAsync(server, 4, "flood", "trickle");

        Assert.Equal(["flood0", "trickle0", "flood1", "flood2"], order);
    }

    [Fact]
    public async Task ASubmitAfterDropFunctionLandsInTheNewQueue()
    {
        await using var server = await TestServer.StartAsync(ServerKind.Narada);
        await using var client = await RawConnection.ConnectAsync(server.Port);
        await using var admin = await RawConnection.ConnectAsync(server.Port);
        await client.SendAsync(PacketType.SubmitJobBg, "dropped", "", "before");
        await client.ExpectAsync(PacketType.JobCreated);
        Assert.Equal("OK", (await admin.AdminAsync("drop function dropped", listing: false)).Trim());

        // the same connection submits to the same name again
        await client.SendAsync(PacketType.SubmitJobBg, "dropped", "", "after");
        await client.ExpectAsync(PacketType.JobCreated);

        Assert.Contains("dropped\t1\t0\t0", await admin.AdminAsync("status", listing: true));
        Assert.Equal(["after"], await DrainAsync(server, 1, "dropped"));
    }

    [Fact]
    public async Task OneJobWakesOneSleeper()
    {
        await using var server = await TestServer.StartAsync(ServerKind.Narada);
        var sleepers = new List<RawConnection>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                var w = await RawConnection.ConnectAsync(server.Port);
                await w.SendAsync(PacketType.CanDo, "herd");
                await w.SendAsync(PacketType.PreSleep);
                await w.SendAsync(PacketType.EchoReq, "asleep");
                await w.ExpectAsync(PacketType.EchoRes);
                sleepers.Add(w);
            }
            await using var client = await RawConnection.ConnectAsync(server.Port);
            await client.SendAsync(PacketType.SubmitJobBg, "herd", "", "one");
            await client.ExpectAsync(PacketType.JobCreated);

            await sleepers[0].ExpectAsync(PacketType.Noop);
            // A NOOP caused by the submit would have been queued before these echoes.
            foreach (var other in sleepers.Skip(1))
            {
                await other.SendAsync(PacketType.EchoReq, "still asleep");
                Assert.Equal(["still asleep"], await other.ExpectAsync(PacketType.EchoRes));
            }
        }
        finally
        {
            foreach (var w in sleepers)
                await w.DisposeAsync();
        }
    }

    [Fact]
    public async Task ForegroundJobWhoseClientLeftIsDroppedAtTheHead()
    {
        await using var server = await TestServer.StartAsync(ServerKind.Narada);
        var gone = await RawConnection.ConnectAsync(server.Port);
        await gone.SendAsync(PacketType.SubmitJob, "abandon", "", "nobody waits");
        await gone.ExpectAsync(PacketType.JobCreated);
        await gone.DisposeAsync();
        await using var client = await RawConnection.ConnectAsync(server.Port);
        await client.SendAsync(PacketType.SubmitJobBg, "abandon", "", "wanted");
        await client.ExpectAsync(PacketType.JobCreated);

        var order = await DrainAsync(server, 1, "abandon");

        Assert.Equal(["wanted"], order);
    }

    [Fact]
    public async Task MaxqueueRefusesSubmitsOverTheLimit()
    {
        await using var server = await TestServer.StartAsync(ServerKind.Narada);
        await using var admin = await RawConnection.ConnectAsync(server.Port);
        Assert.Equal("OK\r\n", await admin.AdminAsync("maxqueue capped 2", listing: false));
        await using var client = await RawConnection.ConnectAsync(server.Port);
        await client.SendAsync(PacketType.SubmitJobBg, "capped", "", "1");
        await client.ExpectAsync(PacketType.JobCreated);
        await client.SendAsync(PacketType.SubmitJobBg, "capped", "", "2");
        await client.ExpectAsync(PacketType.JobCreated);

        await client.SendAsync(PacketType.SubmitJobBg, "capped", "", "3");
        var error = await client.ExpectAsync(PacketType.Error);

        Assert.Equal(["QUEUE_ERROR", "Job queue is full"], error);
        Assert.Contains("capped\t2\t0\t0\n", await admin.AdminAsync("status", listing: true));
    }

    [Fact]
    public async Task CancelledJobNeverRuns()
    {
        await using var server = await TestServer.StartAsync(ServerKind.Narada);
        await using var client = await RawConnection.ConnectAsync(server.Port);
        await client.SendAsync(PacketType.SubmitJobBg, "cancel", "", "doomed");
        var handle = (await client.ExpectAsync(PacketType.JobCreated))[0];
        await client.SendAsync(PacketType.SubmitJobBg, "cancel", "", "kept");
        await client.ExpectAsync(PacketType.JobCreated);
        await using var admin = await RawConnection.ConnectAsync(server.Port);

        Assert.Equal("OK\r\n", await admin.AdminAsync($"cancel job {handle}", listing: false));
        Assert.Equal("ERR UNKNOWN_JOB\r\n", await admin.AdminAsync($"cancel job {handle}", listing: false));
        Assert.Equal(["kept"], await DrainAsync(server, 1, "cancel"));
    }

    [Fact]
    public async Task EpochJobRunsAtItsTimeNotBefore()
    {
        await using var server = await TestServer.StartAsync(ServerKind.Narada);
        await using var client = await RawConnection.ConnectAsync(server.Port);
        long runAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 2;
        await client.SendAsync(PacketType.SubmitJobEpoch, "timed", "", runAt.ToString(System.Globalization.CultureInfo.InvariantCulture), "tick");
        await client.ExpectAsync(PacketType.JobCreated);
        await using var worker = await RawConnection.ConnectAsync(server.Port);
        await worker.SendAsync(PacketType.CanDo, "timed");
        await worker.SendAsync(PacketType.GrabJob);
        await worker.ExpectAsync(PacketType.NoJob);
        await worker.SendAsync(PacketType.PreSleep);

        await worker.ExpectAsync(PacketType.Noop, TimeSpan.FromSeconds(5));
        long woke = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await worker.SendAsync(PacketType.GrabJob);

        Assert.Equal("tick", (await worker.ExpectAsync(PacketType.JobAssign))[2]);
        Assert.True(woke >= runAt, $"ran at {woke}, due {runAt}");
    }

    [Fact]
    public async Task JobRetriesFailsAJobThatKeepsLosingItsWorker()
    {
        await using var server = await TestServer.StartAsync(ServerKind.Narada, new JobServerOptions { JobRetries = 2 });
        await using var client = await RawConnection.ConnectAsync(server.Port);
        await client.SendAsync(PacketType.SubmitJob, "poison", "", "crash");
        var handle = (await client.ExpectAsync(PacketType.JobCreated))[0];

        for (int attempt = 0; attempt < 2; attempt++)
        {
            var worker = await RawConnection.ConnectAsync(server.Port);
            await worker.SendAsync(PacketType.CanDo, "poison");
            await worker.SendAsync(PacketType.GrabJob);
            Assert.Equal(handle, (await worker.ExpectAsync(PacketType.JobAssign))[0]);
            await worker.DisposeAsync();
            await Retry.UntilAsync(async () =>
            {
                await using var admin = await RawConnection.ConnectAsync(server.Port);
                return (await admin.AdminAsync("status", listing: true)).Contains("poison\t" + (1 - attempt) + "\t0\t0", StringComparison.Ordinal);
            }, "the worker's departure");
        }

        Assert.Equal([handle], await client.ExpectAsync(PacketType.WorkFail));
    }

    [Fact]
    public async Task CanDoTimeoutTakesTheJobBack()
    {
        await using var server = await TestServer.StartAsync(ServerKind.Narada);
        await using var client = await RawConnection.ConnectAsync(server.Port);
        await client.SendAsync(PacketType.SubmitJob, "slow", "", "x");
        var handle = (await client.ExpectAsync(PacketType.JobCreated))[0];
        await using var stuck = await RawConnection.ConnectAsync(server.Port);
        await stuck.SendAsync(PacketType.CanDoTimeout, "slow", "1000");
        await stuck.SendAsync(PacketType.GrabJob);
        await stuck.ExpectAsync(PacketType.JobAssign);

        await using var other = await RawConnection.ConnectAsync(server.Port);
        await other.SendAsync(PacketType.CanDo, "slow");
        await Retry.UntilAsync(async () =>
        {
            await other.SendAsync(PacketType.GrabJob);
            return (await other.ReceiveAsync()).Type == PacketType.JobAssign;
        }, "the timed-out job back in the queue");
        await stuck.SendAsync(PacketType.WorkComplete, handle, "too late");
        var late = await stuck.ExpectAsync(PacketType.Error);
        await other.SendAsync(PacketType.WorkComplete, handle, "on time");

        Assert.Equal("JOB_NOT_FOUND", late[0]);
        Assert.Equal([handle, "on time"], await client.ExpectAsync(PacketType.WorkComplete));
    }

    /// <summary>One worker for the functions grabs and completes <paramref name="count"/> jobs; returns their payloads in order.</summary>
    private static async Task<List<string>> DrainAsync(TestServer server, int count, params string[] functions)
    {
        await using var worker = await RawConnection.ConnectAsync(server.Port);
        foreach (var f in functions)
            await worker.SendAsync(PacketType.CanDo, f);
        var order = new List<string>();
        for (int i = 0; i < count; i++)
        {
            await worker.SendAsync(PacketType.GrabJob);
            var assigned = await worker.ExpectAsync(PacketType.JobAssign);
            order.Add(assigned[2]);
            await worker.SendAsync(PacketType.WorkComplete, assigned[0], "");
        }
        await worker.SendAsync(PacketType.GrabJob);
        await worker.ExpectAsync(PacketType.NoJob);
        return order;
    }
}
