using Narada.Gearman.Worker;
using Narada.Testing;

namespace Narada.Gearman.Tests.Worker;

/// <summary>Concurrency is a hard cap: beyond it the worker stops grabbing and jobs wait in the job server.</summary>
[Trait("Category", "Peers")]
public sealed class WorkerConcurrencyTests
{
    [Fact]
    public async Task At_most_three_of_six_slow_jobs_run_at_once_and_the_rest_wait_in_gearmand()
    {
        await using var server = await GearmandServer.StartAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int current = 0, peak = 0;
        var options = RunningWorker.Options(server) with { Concurrency = 3 };
        await using var worker = await RunningWorker.StartAsync(options, w => w.Register("slow", async (_, ct) =>
        {
            int now = Interlocked.Increment(ref current);
            InterlockedMax(ref peak, now);
            await gate.Task.WaitAsync(ct);
            Interlocked.Decrement(ref current);
            return "ok"u8.ToArray();
        }));

        var submit = await GearmanTools.GearmanAsync(server, "-b", "-f", "slow", "1", "2", "3", "4", "5", "6");
        Assert.True(submit.ExitCode == 0, submit.ToString());

        await Retry.UntilAsync(() => Volatile.Read(ref current) == 3, "three jobs to run");
        await Retry.UntilAsync(async () => (await GearmanTools.StatusAsync(server.Port))["slow"] == (6, 3, 1),
            "gearadmin to show 6 jobs, 3 running, 1 worker");
        Assert.Equal(3, worker.Worker.JobsRunning);

        gate.SetResult();
        await Retry.UntilAsync(() => worker.Worker.JobsCompleted == 6, "all six jobs to complete");
        Assert.Equal(3, Volatile.Read(ref peak));
        Assert.Equal(0, (await GearmanTools.StatusAsync(server.Port))["slow"].Total);
    }

    [Fact]
    public async Task One_slot_is_shared_by_two_servers()
    {
        await using var one = await GearmandServer.StartAsync();
        await using var two = await GearmandServer.StartAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int current = 0, peak = 0;
        await using var worker = await RunningWorker.StartAsync(RunningWorker.Options(one, two), w => w.Register("slow", async (_, ct) =>
        {
            InterlockedMax(ref peak, Interlocked.Increment(ref current));
            await gate.Task.WaitAsync(ct);
            Interlocked.Decrement(ref current);
            return "ok"u8.ToArray();
        }));

        await GearmanTools.GearmanAsync(one, "-b", "-f", "slow", "a", "b");
        await GearmanTools.GearmanAsync(two, "-b", "-f", "slow", "c", "d");
        await Retry.UntilAsync(() => Volatile.Read(ref current) == 1, "one job to run");
        var running = (await GearmanTools.StatusAsync(one.Port))["slow"].Running + (await GearmanTools.StatusAsync(two.Port))["slow"].Running;
        Assert.Equal(1, running);

        gate.SetResult();
        await Retry.UntilAsync(() => worker.Worker.JobsCompleted == 4, "all four jobs to complete");
        Assert.Equal(1, Volatile.Read(ref peak));
    }

    [Fact]
    public async Task A_burst_of_jobs_arriving_while_the_worker_sleeps_and_grabs_is_served_completely()
    {
        await using var server = await GearmandServer.StartAsync();
        var options = RunningWorker.Options(server) with { Concurrency = 2 };
        await using var worker = await RunningWorker.StartAsync(options, w => w.Register("echo", (job, _) => ValueTask.FromResult(job.Payload)));

        // Three bursts with idle gaps: each wakes a sleeping worker (NOOP) while grabs are in flight.
        for (int burst = 1; burst <= 3; burst++)
        {
            var lines = string.Concat(Enumerable.Range(0, 100).Select(i => $"job {burst}.{i}\n"));
            var submit = await ExternalProcess.RunAsync(RequiredTool.Gearman,
                ["-h", server.Host, "-p", server.Port.ToString(), "-b", "-n", "-f", "echo"], stdin: lines);
            Assert.True(submit.ExitCode == 0, submit.ToString());
            await Retry.UntilAsync(() => worker.Worker.JobsCompleted == 100 * burst, $"burst {burst} to be served");
        }
        Assert.Equal(0, (await GearmanTools.StatusAsync(server.Port))["echo"].Total);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
