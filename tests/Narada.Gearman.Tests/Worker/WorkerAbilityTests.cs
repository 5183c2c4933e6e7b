using Narada.Gearman.Worker;
using Narada.Testing;

namespace Narada.Gearman.Tests.Worker;

/// <summary>Register and Unregister reach every live connection: CAN_DO, CAN_DO_TIMEOUT and CANT_DO as gearmand sees them.</summary>
[Trait("Category", "Peers")]
public sealed class WorkerAbilityTests
{
    private static readonly JobHandler Echo = (job, _) => ValueTask.FromResult(job.Payload);

    [Fact]
    public async Task Can_do_timeout_registers_and_cant_do_removes_the_function()
    {
        await using var server = await GearmandServer.StartAsync();
        var options = RunningWorker.Options(server) with { ClientId = "ability-test" };
        await using var worker = await RunningWorker.StartAsync(options, w =>
        {
            w.Register("timed", Echo, TimeSpan.FromSeconds(2));
            w.Register("plain", Echo);
        });
        await Retry.UntilAsync(async () => Functions(await GearmanTools.WorkersAsync(server.Port)).SetEquals(["timed", "plain"]),
            "gearadmin --workers to show both functions");
        Assert.Equal(1, (await GearmanTools.StatusAsync(server.Port))["timed"].Workers);
        Assert.Equal("x\n", (await GearmanTools.GearmanAsync(server, "-f", "timed", "x")).Stdout);

        worker.Worker.Unregister("timed");

        await Retry.UntilAsync(async () => Functions(await GearmanTools.WorkersAsync(server.Port)).SetEquals(["plain"]),
            "CANT_DO to remove the function");
        Assert.Equal(0, (await GearmanTools.StatusAsync(server.Port))["timed"].Workers);
    }

    [Fact]
    public async Task Function_registered_while_running_serves_a_job_that_was_already_queued()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var worker = await RunningWorker.StartAsync(RunningWorker.Options(server), w => w.Register("first", Echo));
        // the worker is asleep (nothing to do) when the job for a function it cannot do yet arrives
        var queued = await GearmanTools.GearmanAsync(server, "-b", "-f", "late", "queued before register");
        Assert.True(queued.ExitCode == 0, queued.ToString());

        worker.Worker.Register("late", Echo);

        await Retry.UntilAsync(() => worker.Worker.JobsCompleted == 1, "the queued job to be served");
        Assert.Equal(0, (await GearmanTools.StatusAsync(server.Port))["late"].Total);
    }

    [Fact]
    public void Register_refuses_names_and_timeouts_no_server_would_accept()
    {
        var worker = new GearmanWorker(new GearmanWorkerOptions { Servers = [Narada.Gearman.Transport.ServerAddress.Local] });
        Assert.Throws<ArgumentException>(() => worker.Register("", Echo));
        Assert.Throws<ArgumentException>(() => worker.Register("a\0b", Echo));
        Assert.Throws<ArgumentException>(() => worker.Register(new string('f', 513), Echo));
        Assert.Throws<ArgumentOutOfRangeException>(() => worker.Register("f", Echo, TimeSpan.Zero));
        Assert.Throws<ArgumentNullException>(() => worker.Register("f", null!));
    }

    private static HashSet<string> Functions(List<(string ClientId, string[] Functions)> workers) =>
        workers.Where(w => w.ClientId == "ability-test").SelectMany(w => w.Functions).ToHashSet();
}
