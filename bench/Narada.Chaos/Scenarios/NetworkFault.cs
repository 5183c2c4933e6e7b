using Narada.Chaos.Load;
using Narada.Chaos.Processes;
using Narada.Gearman.Transport;

namespace Narada.Chaos.Scenarios;

/// <summary>Recovery from one kind of network fault in <see cref="NetworkFault"/>.</summary>
/// <param name="Intake">Link back → the API shows a passive result acknowledged after that.</param>
/// <param name="Dispatch">Link back → a plugin run starts on an agent.</param>
public sealed record NetworkFaultRecovery(string Fault, int Rounds, Distribution Intake, Distribution Dispatch, int Unrecovered);

/// <summary>What <see cref="NetworkFault"/> counted over the whole run.</summary>
/// <param name="ActiveUnstored">Plugin runs that ended without their result reaching the store.</param>
public sealed record NetworkFaultFigures(IReadOnlyList<NetworkFaultRecovery> Faults, int PassiveAcknowledged, int PassiveLost, int ActiveRuns,
    int ActiveUnstored, int StoredTwice, int LeftoverProcesses, IReadOnlyList<string> LostSample);

/// <summary>
/// <c>network</c>: the controller and the agents reach the job server through a proxy the harness controls, which cuts
/// every connection, delays every chunk, or black-holes the link for a while, at random moments under steady load
/// (passive results straight into the job server, active checks every second on the agents).
/// </summary>
public static class NetworkFault
{
    public sealed record Options
    {
        public FaultSchedule Schedule { get; init; } = new();
        public int Agents { get; init; } = 2;
        public int PassiveSubmitters { get; init; } = 2;
        public double PassivePerSecondEach { get; init; } = 100;
        public TimeSpan Delay { get; init; } = TimeSpan.FromMilliseconds(250);
        public TimeSpan DelayFor { get; init; } = TimeSpan.FromSeconds(5);
        public TimeSpan BlackHoleFor { get; init; } = TimeSpan.FromSeconds(30);

        public static Options Short { get; } = new()
        {
            Schedule = FaultSchedule.Short with { Rounds = 1 },
            Agents = 1,
            PassiveSubmitters = 1,
            PassivePerSecondEach = 50,
            DelayFor = TimeSpan.FromSeconds(1),
            BlackHoleFor = TimeSpan.FromSeconds(3),
        };
    }

    public static async Task<NetworkFaultFigures> RunAsync(Options options, Action<string>? progress = null)
    {
        var directory = Directory.CreateTempSubdirectory("narada-chaos-network-").FullName;
        try
        {
            await using var jobServer = JobServerUnderTest.Narada(Directory.CreateDirectory(Path.Combine(directory, "jobserver")).FullName);
            await jobServer.StartAsync();
            var direct = new ServerAddress("127.0.0.1", jobServer.Port);
            await using var proxy = new ChaosProxy(jobServer.Port);
            var viaProxy = $"127.0.0.1:{proxy.Port}";
            var plugin = new ChaosPlugin(directory);
            var config = Directory.CreateDirectory(Path.Combine(directory, "config")).FullName;
            await File.WriteAllTextAsync(Path.Combine(config, "checks.yaml"), plugin.Check("fast", "1s", "tags: [chaos]"));
            await using var controller = new ControllerProcess(viaProxy, config, Path.Combine(directory, "data"));
            await controller.StartAsync();
            var agents = Enumerable.Range(0, options.Agents)
                .Select(i => new AgentProcess(directory, $"chaos-{(char)('a' + i)}", [viaProxy], plugin.PluginDirectory)).ToArray();
            try
            {
                foreach (var agent in agents)
                    agent.Start();
                await Wait.UntilAsync(() => agents.All(a => plugin.Runs().Any(r => r.AgentPid == a.Pid && r.Ended is not null)),
                    TimeSpan.FromSeconds(60), "check run on every agent");
                var ledger = new JobLedger();
                var recoveries = new List<NetworkFaultRecovery>();
                await using (var passive = new PassiveResults(controller, ledger))
                {
                    await using var submitters = new SteadySubmitters(direct, "narada.results", options.PassiveSubmitters, options.PassivePerSecondEach,
                        ledger, PassiveResults.Payload, "passive");
                    await Wait.UntilAsync(() => passive.AnyShown, TimeSpan.FromSeconds(60), "passive result shown by the controller");
                    long? FirstRunAfter(long ms) => plugin.Runs().Where(r => r.Started > ms).Select(r => (long?)r.Started).Min();
                    (string Name, Func<Task> Strike)[] faults =
                    [
                        ("cut every connection", () =>
                        {
                            proxy.CutAll();
                            return Task.CompletedTask;
                        }),
                        ($"delay {options.Delay.TotalMilliseconds:0} ms for {options.DelayFor.TotalSeconds:0.#} s", async () =>
                        {
                            proxy.Delay(options.Delay);
                            await Task.Delay(options.DelayFor);
                            proxy.Heal();
                        }),
                        ($"black hole for {options.BlackHoleFor.TotalSeconds:0.#} s", async () =>
                        {
                            proxy.BlackHole();
                            await Task.Delay(options.BlackHoleFor);
                            proxy.Heal();
                        }),
                    ];
                    var loops = new List<(string Name, FaultLoop Loop)>();
                    foreach (var (name, strike) in faults)
                    {
                        var loop = new FaultLoop(options.Schedule);
                        await loop.RunAsync(async round =>
                        {
                            await strike();
                            long back = Clock.NowMs;
                            progress?.Invoke($"network: {name}, {round + 1}/{options.Schedule.Rounds}; {ledger.AcknowledgedCount} passive acknowledged");
                            return (back, back);
                        }, passive.FirstShownAfter);
                        loops.Add((name, loop));
                    }
                    // The checks' next runs come at their own pace: wait for one after the last fault before reading them.
                    long last = loops[^1].Loop.Strikes[^1].CountFrom;
                    await Wait.UntilAsync(() => FirstRunAfter(last) is not null, options.Schedule.RecoveryTimeout, null);
                    recoveries.AddRange(loops.Select(l => new NetworkFaultRecovery(l.Name, options.Schedule.Rounds, l.Loop.Recovery,
                        l.Loop.RecoveryBy(FirstRunAfter), l.Loop.Unrecovered)));
                    await submitters.StopAsync();
                }
                foreach (var agent in agents)
                    await agent.StopAsync();
                await ResultsQueue.DrainedAsync(direct, TimeSpan.FromSeconds(60));
                await controller.StopAsync();

                var stored = ControllerStore.ResultOutputs(controller.DataDirectory);
                var lostPassive = ledger.AcknowledgedKeys.Where(u => !stored.ContainsKey(PassiveResults.Output(u))).ToList();
                var runs = plugin.Runs().Where(r => r.Ended is not null).ToList();
                var unstored = runs.Where(r => !stored.ContainsKey(ChaosPlugin.Output(r.Id))).Select(r => $"run {r.Id} ({r.Started})").ToList();
                await jobServer.KillAsync();
                return new NetworkFaultFigures(recoveries, ledger.AcknowledgedCount, lostPassive.Count, runs.Count, unstored.Count,
                    stored.Values.Sum(n => n - 1), ProcessTable.Matching(directory).Count, [.. lostPassive.Take(5), .. unstored.Take(5)]);
            }
            finally
            {
                foreach (var agent in agents)
                    await agent.DisposeAsync();
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
