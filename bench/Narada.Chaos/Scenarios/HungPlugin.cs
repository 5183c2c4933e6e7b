using Narada.Chaos.Processes;
using Narada.Gearman.Transport;

namespace Narada.Chaos.Scenarios;

/// <summary>What <see cref="HungPlugin"/> counted.</summary>
/// <param name="HungRuns">Runs of the plugin that never ends.</param>
/// <param name="HungResults">Results of it in the store (each a timeout).</param>
/// <param name="SurvivedTimeout">Runs of it still alive well past their timeout while their agent lived.</param>
/// <param name="FastLongestGapMs">Longest pause between runs of the quick check on the same agent meanwhile.</param>
/// <param name="LeftByKilledAgent">Runs of it that an agent killed with SIGKILL left running past their timeout.</param>
public sealed record HungPluginFigures(int HungRuns, long HungResults, int SurvivedTimeout, double FastLongestGapMs, int Kills,
    int LeftByKilledAgent, int LeftoverProcesses);

/// <summary>
/// <c>hung-plugin</c>: a real agent runs a plugin that never ends (timeout 2 s) beside check_dummy every second; each
/// hung run must be killed at its timeout and reported, and the quick check must go on. Then the agent is killed with
/// SIGKILL while a hung run is alive, and started again: what is left of that run is counted.
/// </summary>
public static class HungPlugin
{
    public sealed record Options
    {
        public FaultSchedule Schedule { get; init; } = new() { Rounds = 3 };
        public TimeSpan Steady { get; init; } = TimeSpan.FromSeconds(15);

        public static Options Short { get; } = new() { Schedule = FaultSchedule.Short with { Rounds = 1 }, Steady = TimeSpan.FromSeconds(6) };
    }

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public static async Task<HungPluginFigures> RunAsync(Options options, Action<string>? progress = null)
    {
        var directory = Directory.CreateTempSubdirectory("narada-chaos-hung-").FullName;
        var killedAt = new Dictionary<int, long>();
        try
        {
            await using var jobServer = JobServerUnderTest.Narada(Directory.CreateDirectory(Path.Combine(directory, "jobserver")).FullName);
            await jobServer.StartAsync();
            var address = new ServerAddress("127.0.0.1", jobServer.Port);
            var plugin = new ChaosPlugin(directory);
            var config = Directory.CreateDirectory(Path.Combine(directory, "config")).FullName;
            await File.WriteAllTextAsync(Path.Combine(config, "checks.yaml"),
                plugin.Check("fast", "1s", "hosts: [chaos-a]") + "\n---\n" + plugin.HangingCheck("hang", "3s", "hosts: [chaos-a]"));
            await using var controller = new ControllerProcess(address.ToString(), config, Path.Combine(directory, "data"));
            await controller.StartAsync();
            await using var agent = new AgentProcess(directory, "chaos-a", [address.ToString()], plugin.PluginDirectory);
            agent.Start();
            await Wait.UntilAsync(() => plugin.Runs().Any(r => r.Check == "hang"), TimeSpan.FromSeconds(60), "hung plugin run");
            var alive = new HashSet<string>(); // hung runs seen alive past timeout + 2 s while their agent lived
            var steadyUntil = DateTime.UtcNow + options.Steady;
            while (DateTime.UtcNow < steadyUntil)
            {
                NoteSurvivors(plugin, killedAt, alive);
                await Task.Delay(200);
            }

            var faults = new FaultLoop(options.Schedule);
            await faults.RunAsync(async round =>
            {
                int pid = agent.Pid;
                await Wait.UntilAsync(() => plugin.Runs().Any(r => r.AgentPid == pid && r.Check == "hang" && Clock.NowMs - r.Started < 1000),
                    TimeSpan.FromSeconds(10), null);
                long killAt = Clock.NowMs;
                await agent.KillAsync();
                killedAt[pid] = killAt;
                agent.Start();
                progress?.Invoke($"hung-plugin: agent killed with a hung run in hand ({round + 1}/{options.Schedule.Rounds})");
                return (killAt, Clock.NowMs);
            }, after => plugin.Runs().Where(r => r.AgentPid == agent.Pid && r.Started > after).Select(r => (long?)r.Started).Min());
            // Past the timeout of the runs the killed agents held: whatever of them still runs was left behind.
            await Task.Delay(Timeout + TimeSpan.FromSeconds(2));
            NoteSurvivors(plugin, killedAt, alive);
            var left = RunningHungRuns(plugin).Where(r => killedAt.TryGetValue(r.Run.AgentPid, out long k) && r.Run.Started < k).ToList();

            await agent.StopAsync();
            await controller.StopAsync();
            var runs = plugin.Runs();
            var fastStarts = runs.Where(r => r.Check == "fast" && !killedAt.ContainsKey(r.AgentPid)).Select(r => r.Started).Order().ToArray();
            double gap = fastStarts.Zip(fastStarts.Skip(1), (a, b) => (double)(b - a)).DefaultIfEmpty(0).Max();
            long hungResults = ControllerStore.ResultCount(controller.DataDirectory, "hang");
            await jobServer.KillAsync();
            // The runs left behind are the harness's to end: by process id, never by name.
            var leftPids = left.SelectMany(l => l.Pids).ToList();
            foreach (int pid in leftPids)
                ProcessTable.Kill(pid);
            await Wait.UntilAsync(() => !leftPids.Any(Narada.Testing.ProcStat.IsRunning), TimeSpan.FromSeconds(10), null);
            return new HungPluginFigures(runs.Count(r => r.Check == "hang"), hungResults, alive.Count, gap, options.Schedule.Rounds, left.Count,
                ProcessTable.Matching(directory).Count);
        }
        finally
        {
            foreach (int pid in ProcessTable.Matching(directory))
                ProcessTable.Kill(pid);
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Hung runs whose wrapper is still alive, with its process id and its children's (the sleep). A run's id
    /// ends in the wrapper's pid (<c>$$</c>).</summary>
    private static List<(PluginRun Run, IReadOnlyList<int> Pids)> RunningHungRuns(ChaosPlugin plugin)
    {
        var running = new List<(PluginRun, IReadOnlyList<int>)>();
        foreach (var run in plugin.Runs().Where(r => r.Check == "hang" && r.Ended is null))
        {
            int wrapper = int.Parse(run.Id[(run.Id.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            if (Narada.Testing.ProcStat.IsRunning(wrapper))
                running.Add((run, [wrapper, .. ProcessTable.ChildrenOf(wrapper)]));
        }
        return running;
    }

    private static void NoteSurvivors(ChaosPlugin plugin, Dictionary<int, long> killedAt, HashSet<string> alive)
    {
        long now = Clock.NowMs;
        foreach (var (run, _) in RunningHungRuns(plugin))
            if (!killedAt.ContainsKey(run.AgentPid) && now - run.Started > (Timeout + TimeSpan.FromSeconds(2)).TotalMilliseconds)
                alive.Add(run.Id);
    }
}
