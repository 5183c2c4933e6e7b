using Narada.Gearman.Worker;
using Narada.Testing;

namespace Narada.Gearman.Tests.Worker;

/// <summary>Cancelling RunAsync stops grabbing, lets jobs in hand finish, and fails those that outlive StopTimeout.</summary>
[Trait("Category", "Peers")]
public sealed class WorkerStopTests
{
    [Fact]
    public async Task Job_in_hand_at_stop_still_completes_and_no_new_job_is_taken()
    {
        await using var server = await GearmandServer.StartAsync();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = RunningWorker.Options(server) with { StopTimeout = TimeSpan.FromSeconds(10) };
        await using var worker = await RunningWorker.StartAsync(options, w => w.Register("finish", async (job, _) =>
        {
            started.TrySetResult();
            await gate.Task; // deliberately ignores the token: it must not be needed before the deadline
            return job.Payload;
        }));
        await using var client = GearmanTools.StartGearman(server, "-f", "finish", "finished");
        client.StandardInput.Close();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var stopping = worker.StopAsync();
        var late = await GearmanTools.GearmanAsync(server, "-b", "-f", "finish", "too late");
        Assert.True(late.ExitCode == 0, late.ToString());
        await Retry.UntilAsync(async () => (await GearmanTools.StatusAsync(server.Port))["finish"] == (2, 1, 1),
            "gearmand to hold the late job queued beside the running one");
        Assert.False(stopping.IsCompleted);

        gate.SetResult();
        await stopping;
        var result = await client.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("finished\n", result.Stdout);
        Assert.Equal(1, worker.Worker.JobsCompleted);
        Assert.Equal(1, (await GearmanTools.StatusAsync(server.Port))["finish"].Total); // the late job waits for another worker
    }

    [Fact]
    public async Task Jobs_that_outlive_the_stop_timeout_are_cancelled_and_reported_failed()
    {
        await using var server = await GearmandServer.StartAsync();
        int started = 0;
        var ignoring = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tokenSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = RunningWorker.Options(server) with { Concurrency = 2, StopTimeout = TimeSpan.FromMilliseconds(300) };
        await using var worker = await RunningWorker.StartAsync(options, w =>
        {
            w.Register("cooperative", async (_, ct) =>
            {
                Interlocked.Increment(ref started);
                ct.Register(() => tokenSeen.TrySetResult());
                await Task.Delay(Timeout.Infinite, ct);
                return "never"u8.ToArray();
            });
            w.Register("stubborn", async (_, _) =>
            {
                Interlocked.Increment(ref started);
                await ignoring.Task; // ignores its token: reported failed anyway at the deadline
                return "never"u8.ToArray();
            });
        });
        await using var cooperative = GearmanTools.StartGearman(server, "-f", "cooperative", "x");
        await using var stubborn = GearmanTools.StartGearman(server, "-f", "stubborn", "x");
        cooperative.StandardInput.Close();
        stubborn.StandardInput.Close();
        await Retry.UntilAsync(() => Volatile.Read(ref started) == 2, "both jobs to start");

        await worker.StopAsync(within: TimeSpan.FromSeconds(5));
        var first = await cooperative.WaitAsync(TimeSpan.FromSeconds(10));
        var second = await stubborn.WaitAsync(TimeSpan.FromSeconds(10));
        ignoring.SetResult();

        Assert.True(tokenSeen.Task.IsCompleted);
        Assert.NotEqual(0, first.ExitCode);
        Assert.NotEqual(0, second.ExitCode);
        Assert.Contains("fail", first.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("fail", second.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(2, worker.Worker.JobsFailed);
        Assert.Equal(0, worker.Worker.JobsCompleted);
        // failed, not requeued: nothing is left on the server
        Assert.Equal(0, (await GearmanTools.StatusAsync(server.Port))["stubborn"].Total);
    }
}
