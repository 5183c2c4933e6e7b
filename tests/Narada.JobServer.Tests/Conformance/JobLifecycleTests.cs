using Narada.Gearman.Protocol;
using Narada.JobServer.Tests.Support;
using Narada.Testing;

namespace Narada.JobServer.Tests.Conformance;

/// <summary>Background jobs, status, coalescing, priorities and requeue: same scenario, same observations, both servers.</summary>
[Trait("Category", "Peers")]
public sealed class JobLifecycleTests
{
    [Theory]
    [MemberData(nameof(ServerKinds.All), MemberType = typeof(ServerKinds))]
    public async Task BackgroundJobHasStatusUntilAWorkerRunsIt(ServerKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var submitted = await Tools.PhpAsync(server, "background_status.php", "later", "payload");
        Assert.Equal(0, submitted.ExitCode);
        var lines = submitted.Stdout.Split('\n');
        string handle = lines[0];
        Assert.StartsWith("H:", handle);
        Assert.Equal("1 0 0 0", lines[1]);
        var status = await Tools.GearadminAsync(server, "--status");
        Assert.Contains("later\t1\t0\t0\n", status.Stdout);

        var worker = await Tools.PhpAsync(server, "record_worker.php", "later", "1");
        Assert.Equal("payload\n", worker.Stdout);

        await using var client = await RawConnection.ConnectAsync(server.Port);
        await client.SendAsync(PacketType.GetStatus, handle);
        Assert.Equal([handle, "0", "0", "0", "0"], await client.ExpectAsync(PacketType.StatusRes));
    }

    [Theory]
    [MemberData(nameof(ServerKinds.All), MemberType = typeof(ServerKinds))]
    public async Task PrioritiesRunHighThenNormalThenLow(ServerKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var submitted = await Tools.PhpAsync(server, "priorities.php", "prio");
        Assert.Equal(0, submitted.ExitCode);
        var priority = await Tools.GearadminAsync(server, "--priority-status");
        Assert.Contains("prio\t1\t1\t1\t0\n", priority.Stdout);

        var worker = await Tools.PhpAsync(server, "record_worker.php", "prio", "3");

        Assert.Equal("high\nnormal\nlow\n", worker.Stdout);
    }

    [Theory]
    [MemberData(nameof(ServerKinds.All), MemberType = typeof(ServerKinds))]
    public async Task SameUniqueCoalescesForegroundClientsIntoOneRun(ServerKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        var first = Tools.GearmanAsync(server, null, "-f", "merge", "-u", "key1", "-s");
        var second = Tools.GearmanAsync(server, null, "-f", "merge", "-u", "key1", "-s");
        await Retry.UntilAsync(async () =>
        {
            var s = await Tools.GearadminAsync(server, "--workers");
            return s.Stdout.Split('\n').Count(l => l.Contains(':', StringComparison.Ordinal)) >= 3;
        }, "both clients connected");
        await Retry.UntilAsync(async () => (await Tools.GearadminAsync(server, "--status")).Stdout.Contains("merge\t1\t0\t0"),
            "one coalesced job queued");

        await using var worker = Tools.StartGearmanWorker(server, "-c", "1", "-f", "merge", "--", "echo", "ran");

        Assert.Equal("ran", (await first).Stdout.Trim());
        Assert.Equal("ran", (await second).Stdout.Trim());
        Assert.Equal(0, (await worker.WaitAsync(TimeSpan.FromSeconds(10))).ExitCode);
    }

    [Theory]
    [MemberData(nameof(ServerKinds.All), MemberType = typeof(ServerKinds))]
    public async Task BackgroundSubmitsWithSameUniqueShareAHandle(ServerKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        await using var client = await RawConnection.ConnectAsync(server.Port);
        await client.SendAsync(PacketType.SubmitJobBg, "bgmerge", "same", "a");
        var a = (await client.ExpectAsync(PacketType.JobCreated))[0];
        await client.SendAsync(PacketType.SubmitJobBg, "bgmerge", "same", "b");
        var b = (await client.ExpectAsync(PacketType.JobCreated))[0];
        await client.SendAsync(PacketType.SubmitJobBg, "bgmerge", "", "c");
        var c = (await client.ExpectAsync(PacketType.JobCreated))[0];
        await client.SendAsync(PacketType.SubmitJobBg, "bgmerge", "", "c");
        var d = (await client.ExpectAsync(PacketType.JobCreated))[0];
        await client.SendAsync(PacketType.GetStatusUnique, "same");
        var unique = await client.ExpectAsync(PacketType.StatusResUnique);

        Assert.Equal(a, b);
        Assert.NotEqual(c, d);
        Assert.Equal(["same", "1", "0", "0", "0", "0"], unique);
        Assert.Contains("bgmerge\t3\t0\t0\n", (await Tools.GearadminAsync(server, "--status")).Stdout);
    }

    [Theory]
    [MemberData(nameof(ServerKinds.All), MemberType = typeof(ServerKinds))]
    public async Task WorkerCrashRequeuesTheJobForTheNextWorker(ServerKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        await using var client = await RawConnection.ConnectAsync(server.Port);
        await client.SendAsync(PacketType.SubmitJob, "fragile", "", "data");
        var handle = (await client.ExpectAsync(PacketType.JobCreated))[0];

        var crashing = await RawConnection.ConnectAsync(server.Port);
        await crashing.SendAsync(PacketType.CanDo, "fragile");
        await crashing.SendAsync(PacketType.GrabJob);
        Assert.Equal([handle, "fragile", "data"], await crashing.ExpectAsync(PacketType.JobAssign));
        await crashing.SendAsync(PacketType.WorkStatus, handle, "1", "2");
        Assert.Equal([handle, "1", "2"], await client.ExpectAsync(PacketType.WorkStatus));
        await crashing.DisposeAsync();

        await using var worker = await RawConnection.ConnectAsync(server.Port);
        await worker.SendAsync(PacketType.CanDo, "fragile");
        string[]? assigned = null;
        await Retry.UntilAsync(async () =>
        {
            await worker.SendAsync(PacketType.GrabJob);
            var p = await worker.ReceiveAsync();
            if (p.Type == PacketType.JobAssign)
                assigned = [p.ArgumentString(0), p.ArgumentString(2)];
            return assigned is not null;
        }, "the requeued job");
        Assert.Equal([handle, "data"], assigned!);
        await worker.SendAsync(PacketType.WorkComplete, handle, "done");
        Assert.Equal([handle, "done"], await client.ExpectAsync(PacketType.WorkComplete));
    }

    [Theory]
    [MemberData(nameof(ServerKinds.All), MemberType = typeof(ServerKinds))]
    public async Task ExceptionsGoOnlyToClientsThatAskedForThem(ServerKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        await using var plain = await RawConnection.ConnectAsync(server.Port);
        await using var wants = await RawConnection.ConnectAsync(server.Port);
        await wants.SendAsync(PacketType.OptionReq, "exceptions");
        Assert.Equal(["exceptions"], await wants.ExpectAsync(PacketType.OptionRes));
        await plain.SendAsync(PacketType.SubmitJob, "boom", "u1", "x");
        var h1 = (await plain.ExpectAsync(PacketType.JobCreated))[0];
        await wants.SendAsync(PacketType.SubmitJob, "boom", "u2", "x");
        var h2 = (await wants.ExpectAsync(PacketType.JobCreated))[0];

        await using var worker = await RawConnection.ConnectAsync(server.Port);
        await worker.SendAsync(PacketType.CanDo, "boom");
        foreach (var _ in new[] { h1, h2 })
        {
            await worker.SendAsync(PacketType.GrabJob);
            var handle = (await worker.ExpectAsync(PacketType.JobAssign))[0];
            await worker.SendAsync(PacketType.WorkException, handle, "it broke");
        }

        // gearmand 1.1.20 leaves a trailing NUL on the handle of this WORK_FAIL; Narada sends the bare handle.
        Assert.Equal(h1, (await plain.ExpectAsync(PacketType.WorkFail))[0].TrimEnd('\0'));
        Assert.Equal([h2, "it broke"], await wants.ExpectAsync(PacketType.WorkException));
    }

    [Theory]
    [InlineData(ServerKind.Gearmand)]
    [InlineData(ServerKind.NaradaProcess)]
    public async Task WithExceptionsOnEveryClientGetsThemWithoutAsking(ServerKind kind)
    {
        // gearmand --exceptions, and narada jobserver with the same option
        int port = FreePort.Next();
        await using IAsyncDisposable server = kind == ServerKind.Gearmand
            ? await GearmandServer.StartOnPortAsync(port, "--exceptions")
            : await NaradaProcess.StartAsync(port, "-q", "none", "--exceptions");
        await using var client = await RawConnection.ConnectAsync(port);
        await client.SendAsync(PacketType.SubmitJob, "boom", "", "x");
        var handle = (await client.ExpectAsync(PacketType.JobCreated))[0];

        await using var worker = await RawConnection.ConnectAsync(port);
        await worker.SendAsync(PacketType.CanDo, "boom");
        await worker.SendAsync(PacketType.GrabJob);
        Assert.Equal(handle, (await worker.ExpectAsync(PacketType.JobAssign))[0]);
        await worker.SendAsync(PacketType.WorkException, handle, "it broke");

        Assert.Equal([handle, "it broke"], await client.ExpectAsync(PacketType.WorkException));
    }

    [Theory]
    [MemberData(nameof(ServerKinds.All), MemberType = typeof(ServerKinds))]
    public async Task WorkPacketsFromAConnectionNotHoldingTheJobAreRefused(ServerKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        await using var client = await RawConnection.ConnectAsync(server.Port);
        await client.SendAsync(PacketType.SubmitJob, "owned", "", "x");
        var handle = (await client.ExpectAsync(PacketType.JobCreated))[0];
        await using var holder = await RawConnection.ConnectAsync(server.Port);
        await holder.SendAsync(PacketType.CanDo, "owned");
        await holder.SendAsync(PacketType.GrabJobUniq);
        Assert.Equal([handle, "owned", "", "x"], await holder.ExpectAsync(PacketType.JobAssignUniq));

        await using var intruder = await RawConnection.ConnectAsync(server.Port);
        await intruder.SendAsync(PacketType.WorkComplete, handle, "stolen");
        var error = await intruder.ExpectAsync(PacketType.Error);
        await holder.SendAsync(PacketType.WorkComplete, handle, "real");

        Assert.Equal("JOB_NOT_FOUND", error[0]);
        Assert.Equal([handle, "real"], await client.ExpectAsync(PacketType.WorkComplete));
    }

    [Theory]
    [MemberData(nameof(ServerKinds.All), MemberType = typeof(ServerKinds))]
    public async Task SleepingWorkerIsWokenByNoopWhenAJobArrives(ServerKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        await using var worker = await RawConnection.ConnectAsync(server.Port);
        await worker.SendAsync(PacketType.CanDo, "nap");
        await worker.SendAsync(PacketType.GrabJob);
        await worker.ExpectAsync(PacketType.NoJob);
        await worker.SendAsync(PacketType.PreSleep);
        await worker.SendAsync(PacketType.EchoReq, "asleep");
        Assert.Equal(["asleep"], await worker.ExpectAsync(PacketType.EchoRes));

        await using var client = await RawConnection.ConnectAsync(server.Port);
        await client.SendAsync(PacketType.SubmitJobBg, "nap", "", "wake up");
        await client.ExpectAsync(PacketType.JobCreated);

        await worker.ExpectAsync(PacketType.Noop);
        await worker.SendAsync(PacketType.GrabJob);
        Assert.Equal("wake up", (await worker.ExpectAsync(PacketType.JobAssign))[2]);
    }
}
