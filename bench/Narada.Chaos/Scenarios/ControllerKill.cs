using Narada.Chaos.Load;
using Narada.Chaos.Processes;
using Narada.Gearman.Transport;

namespace Narada.Chaos.Scenarios;

/// <summary>What <see cref="ControllerKill"/> counted: results the submitters (passive) and the plugin (active) know
/// were handed to the job server, against what the controller's store holds.</summary>
public sealed record ControllerKillFigures(int Rounds, int PassiveAcknowledged, int PassiveLost, int ActiveRuns, int ActiveLost,
    int StoredTwice, Distribution Recovery, int Unrecovered, int LeftoverProcesses, IReadOnlyList<string> LostSample);

/// <summary>
/// <c>controller-kill</c>: <c>narada server</c> (SQLite store) takes passive results from submitters and active ones from a
/// real agent running check_dummy every second, while it is killed with SIGKILL at random moments and started again on
/// the same store. A result the job server accepted (its submitter saw JOB_CREATED, or the plugin ran to its end) must end
/// up in the store's history.
/// </summary>
public static class ControllerKill
{
    public sealed record Options
    {
        public FaultSchedule Schedule { get; init; } = new();
        public int PassiveSubmitters { get; init; } = 2;
        public double PassivePerSecondEach { get; init; } = 100;
        public int ActiveChecks { get; init; } = 4;

        public static Options Short { get; } = new() { Schedule = FaultSchedule.Short, PassiveSubmitters = 2, PassivePerSecondEach = 150, ActiveChecks = 2 };
    }

    public static async Task<ControllerKillFigures> RunAsync(Options options, Action<string>? progress = null)
    {
        var directory = Directory.CreateTempSubdirectory("narada-chaos-controller-").FullName;
        try
        {
            await using var jobServer = JobServerUnderTest.Narada(Directory.CreateDirectory(Path.Combine(directory, "jobserver")).FullName);
            await jobServer.StartAsync();
            var address = new ServerAddress("127.0.0.1", jobServer.Port);
            var plugin = new ChaosPlugin(directory);
            var config = Directory.CreateDirectory(Path.Combine(directory, "config")).FullName;
            await File.WriteAllTextAsync(Path.Combine(config, "checks.yaml"), string.Join("\n---\n",
                Enumerable.Range(0, options.ActiveChecks).Select(i => plugin.Check($"active-{i}", "1s", "hosts: [chaos-a]"))));
            await using var controller = new ControllerProcess(address.ToString(), config, Path.Combine(directory, "data"));
            await controller.StartAsync();
            await using var agent = new AgentProcess(directory, "chaos-a", [address.ToString()], plugin.PluginDirectory);
            agent.Start();
            await Wait.UntilAsync(() => plugin.Runs().Any(r => r.Ended is not null), TimeSpan.FromSeconds(60), "active check run");

            var ledger = new JobLedger();
            var passive = new PassiveResults(controller, ledger);
            var faults = new FaultLoop(options.Schedule);
            await using (var submitters = new SteadySubmitters(address, "narada.results", options.PassiveSubmitters, options.PassivePerSecondEach,
                ledger, PassiveResults.Payload, "passive"))
            {
                await Wait.UntilAsync(() => passive.AnyShown, TimeSpan.FromSeconds(60), "passive result shown by the controller");
                await faults.RunAsync(async round =>
                {
                    long killAt = Clock.NowMs;
                    await controller.KillAsync();
                    long dead = Clock.NowMs;
                    await controller.StartAsync();
                    progress?.Invoke($"controller: kill {round + 1}/{options.Schedule.Rounds}, serving HTTP after {Clock.NowMs - killAt} ms; " +
                        $"{ledger.AcknowledgedCount} passive acknowledged");
                    return (killAt, dead);
                }, passive.FirstShownAfter);
                await submitters.StopAsync();
            }
            await passive.DisposeAsync();
            await agent.StopAsync();
            // Everything handed over is taken in: the job server holds no result any more, then the controller stops
            // cleanly, so what it took is in its store before the store is read.
            await ResultsQueue.DrainedAsync(address, TimeSpan.FromSeconds(60));
            await controller.StopAsync();

            var stored = ControllerStore.ResultOutputs(controller.DataDirectory);
            var lostPassive = ledger.AcknowledgedKeys.Where(u => !stored.ContainsKey(PassiveResults.Output(u))).ToList();
            var runs = plugin.Runs().Where(r => r.Ended is not null).ToList();
            var lostActive = runs.Where(r => !stored.ContainsKey(ChaosPlugin.Output(r.Id))).Select(r => $"run {r.Id} of {r.Check}").ToList();
            await jobServer.KillAsync();
            return new ControllerKillFigures(options.Schedule.Rounds, ledger.AcknowledgedCount, lostPassive.Count, runs.Count, lostActive.Count,
                stored.Values.Sum(n => n - 1), faults.Recovery, faults.Unrecovered, ProcessTable.Matching(directory).Count,
                [.. lostPassive.Take(5), .. lostActive.Take(5)]);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
