using Narada.Gearman.Protocol;
using Narada.Gearman.Transport;
using Narada.Gearman.Worker;
using Narada.Testing;
using static Narada.Gearman.Tests.Worker.ScriptedJobServer;

namespace Narada.Gearman.Tests.Worker;

/// <summary>The grab/sleep/wake state machine against packet orders gearmand produces only by timing.</summary>
public sealed class WorkerWakeupTests
{
    [Fact]
    public async Task A_noop_arriving_while_a_grab_is_outstanding_is_not_taken_for_its_answer_nor_causes_a_second_grab()
    {
        await using var server = new ScriptedJobServer((packet, seen) => (packet.Type, seen) switch
        {
            // the stale NOOP overtakes the grab's answer
            (PacketType.GrabJobUniq, 0) => [Response(PacketType.Noop), Response(PacketType.JobAssignUniq, "H:1", "f", "u", "data")],
            (PacketType.GrabJobUniq, _) => [Response(PacketType.NoJob)],
            (PacketType.PreSleep, 0) => [Response(PacketType.Noop)], // work arrived: wake once
            _ => [],
        });
        var options = new GearmanWorkerOptions { Servers = [new ServerAddress("127.0.0.1", server.Port)], Concurrency = 1 };
        int runs = 0;
        await using var worker = await RunningWorker.StartAsync(options, w => w.Register("f", (job, _) =>
        {
            Interlocked.Increment(ref runs);
            return ValueTask.FromResult(job.Payload);
        }));

        await Retry.UntilAsync(() => server.ReceivedTypes.Count(t => t == PacketType.PreSleep) == 2, "the worker to sleep a second time");

        Assert.Equal(1, runs);
        Assert.Equal(
            [PacketType.CanDo, PacketType.GrabJobUniq, PacketType.WorkComplete, PacketType.GrabJobUniq, PacketType.PreSleep,
             PacketType.GrabJobUniq, PacketType.PreSleep],
            server.ReceivedTypes);
    }

    [Fact]
    public async Task A_sleeping_worker_grabs_again_only_when_woken()
    {
        await using var server = new ScriptedJobServer((packet, _) =>
            packet.Type == PacketType.GrabJobUniq ? [Response(PacketType.NoJob)] : []);
        var options = new GearmanWorkerOptions { Servers = [new ServerAddress("127.0.0.1", server.Port)] };
        await using var worker = await RunningWorker.StartAsync(options, w => w.Register("f", (job, _) => ValueTask.FromResult(job.Payload)));
        await Retry.UntilAsync(() => server.ReceivedTypes.Contains(PacketType.PreSleep), "the worker to sleep");

        await server.PushAsync(Response(PacketType.Noop));
        await Retry.UntilAsync(() => server.ReceivedTypes.Count(t => t == PacketType.PreSleep) == 2, "the worker to sleep again");

        // a worker that polled or spun would have grabbed more than once per wake-up
        Assert.Equal([PacketType.CanDo, PacketType.GrabJobUniq, PacketType.PreSleep, PacketType.GrabJobUniq, PacketType.PreSleep],
            server.ReceivedTypes);
    }

    [Fact]
    public async Task A_round_that_got_a_job_grabs_again_before_it_sleeps_and_an_empty_round_sleeps()
    {
        await using var server = new ScriptedJobServer((packet, seen) => (packet.Type, seen) switch
        {
            (PacketType.GrabJobUniq, 0) => [Response(PacketType.JobAssignUniq, "H:1", "f", "u", "data")],
            (PacketType.GrabJobUniq, _) => [Response(PacketType.NoJob)],
            _ => [],
        });
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new GearmanWorkerOptions { Servers = [new ServerAddress("127.0.0.1", server.Port)], Concurrency = 2 };
        await using var worker = await RunningWorker.StartAsync(options, w => w.Register("f", async (job, _) =>
        {
            await release.Task; // holds its slot, so the second round has exactly one
            return job.Payload;
        }));

        await Retry.UntilAsync(() => server.ReceivedTypes.Contains(PacketType.PreSleep), "the worker to sleep");
        release.SetResult();
        await Retry.UntilAsync(() => server.ReceivedTypes.Contains(PacketType.WorkComplete), "the job to complete");

        // Round one: two grabs, a job and a NO_JOB. Work was flowing, so one more round before sleeping (a PRE_SLEEP
        // and NOOP would cost both ends a round trip); that round finds nothing, and the worker sleeps.
        Assert.Equal(
            [PacketType.CanDo, PacketType.GrabJobUniq, PacketType.GrabJobUniq, PacketType.GrabJobUniq, PacketType.PreSleep],
            server.ReceivedTypes.Where(t => t != PacketType.WorkComplete));
    }
}
