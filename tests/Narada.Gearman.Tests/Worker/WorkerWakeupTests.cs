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
}
