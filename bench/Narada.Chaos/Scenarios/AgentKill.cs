using Narada.Chaos.Processes;
using Narada.Gearman.Transport;

namespace Narada.Chaos.Scenarios;

/// <summary>What <see cref="AgentKill"/> counted from the plugin's own ledger and the controller's store.</summary>
/// <param name="ResultsLost">Runs that ended while their agent lived on (for at least <see cref="AgentKill.Options.Grace"/>)
/// whose result is not in the store.</param>
/// <param name="CutOff">Runs whose agent was killed while they ran, or just after they ended (their result died with it).</param>
/// <param name="OutlivedAgent">Plugin processes still running after their agent was killed (they end on their own).</param>
/// <param name="RunTwice">Runs of a check on a host that delivered a result and started less than half an interval after
/// the one before that also did (a run cut off with its agent is run again by design: it delivered nothing).</param>
public sealed record AgentKillFigures(int Rounds, int Agents, int Runs, int ResultsLost, int CutOff, int OutlivedAgent, int RunTwice,
    Distribution Recovery, int Unrecovered, int LeftoverProcesses, IReadOnlyList<string> LostSample);

/// <summary>
/// <c>agent-kill</c>: real agents run real Monitoring Plugins (check_dummy, and a slow check that sleeps first) under a
/// controller; at random moments one agent is killed with SIGKILL while its slow check runs, and started again.
/// </summary>
public static class AgentKill
{
    public sealed record Options
    {
        public FaultSchedule Schedule { get; init; } = new();
        public int Agents { get; init; } = 3;
        public TimeSpan FastEvery { get; init; } = TimeSpan.FromSeconds(2);
        public TimeSpan SlowEvery { get; init; } = TimeSpan.FromSeconds(6);
        public int SlowSeconds { get; init; } = 3;

        /// <summary>A run that ended this long before its agent died must have its result stored.</summary>
        public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(2);

        public static Options Short { get; } = new() { Schedule = FaultSchedule.Short, Agents = 2, SlowEvery = TimeSpan.FromSeconds(4), SlowSeconds = 2 };
    }

    public static async Task<AgentKillFigures> RunAsync(Options options, Action<string>? progress = null)
    {
        var directory = Directory.CreateTempSubdirectory("narada-chaos-agent-").FullName;
        var killedAt = new Dictionary<int, long>(); // agent pid -> when it was killed
        try
        {
            await using var jobServer = JobServerUnderTest.Narada(Directory.CreateDirectory(Path.Combine(directory, "jobserver")).FullName);
            await jobServer.StartAsync();
            var address = new ServerAddress("127.0.0.1", jobServer.Port);
            var plugin = new ChaosPlugin(directory);
            var config = Directory.CreateDirectory(Path.Combine(directory, "config")).FullName;
            await File.WriteAllTextAsync(Path.Combine(config, "checks.yaml"),
                plugin.Check("fast", Every(options.FastEvery), "tags: [chaos]") + "\n---\n" +
                plugin.Check("slow", Every(options.SlowEvery), "tags: [chaos]", options.SlowSeconds));
            await using var controller = new ControllerProcess(address.ToString(), config, Path.Combine(directory, "data"));
            await controller.StartAsync();
            var agents = Enumerable.Range(0, options.Agents)
                .Select(i => new AgentProcess(directory, $"chaos-{(char)('a' + i)}", [address.ToString()], plugin.PluginDirectory)).ToArray();
            var hostOf = new Dictionary<int, string>();
            try
            {
                foreach (var agent in agents)
                {
                    agent.Start();
                    hostOf[agent.Pid] = agent.Name;
                }
                await Wait.UntilAsync(() => agents.All(a => plugin.Runs().Any(r => r.AgentPid == a.Pid && r.Ended is not null)),
                    TimeSpan.FromSeconds(60), "check run on every agent");

                var random = new Random(options.Schedule.Seed);
                AgentProcess? victim = null;
                var faults = new FaultLoop(options.Schedule);
                await faults.RunAsync(async round =>
                {
                    victim = agents[random.Next(agents.Length)];
                    int pid = victim.Pid;
                    // Mid-job: while its slow check runs (a started run without an end).
                    await Wait.UntilAsync(() => plugin.Runs().Any(r => r.AgentPid == pid && r.Check == "slow" && r.Ended is null),
                        options.SlowEvery * 3, null);
                    long killAt = Clock.NowMs;
                    await victim.KillAsync();
                    killedAt[pid] = killAt;
                    long dead = Clock.NowMs;
                    victim.Start();
                    hostOf[victim.Pid] = victim.Name;
                    progress?.Invoke($"agent {victim.Name}: kill {round + 1}/{options.Schedule.Rounds} (pid {pid}, restarted as {victim.Pid})");
                    return (killAt, dead);
                }, after =>
                {
                    int pid = victim!.Pid;
                    return plugin.Runs().Where(r => r.AgentPid == pid && r.Started > after).Select(r => (long?)r.Started).Min();
                });

                foreach (var agent in agents)
                    await agent.StopAsync();
                await ResultsQueue.DrainedAsync(address, TimeSpan.FromSeconds(60));
                await controller.StopAsync();
                // Plugins a killed agent left behind end on their own (they sleep at most SlowSeconds); wait for them.
                await Wait.UntilAsync(() => ProcessTable.Matching(plugin.PluginDirectory).Count == 0, TimeSpan.FromSeconds(options.SlowSeconds * 3), null);

                var stored = ControllerStore.ResultOutputs(controller.DataDirectory);
                var runs = plugin.Runs();
                bool MustBeStored(PluginRun r) => r.Ended is { } end
                    && (!killedAt.TryGetValue(r.AgentPid, out long kill) || end < kill - (long)options.Grace.TotalMilliseconds);
                var lost = runs.Where(r => MustBeStored(r) && !stored.ContainsKey(ChaosPlugin.Output(r.Id))).ToList();
                int cutOff = runs.Count(r => !MustBeStored(r) && killedAt.ContainsKey(r.AgentPid));
                int outlived = runs.Count(r => killedAt.TryGetValue(r.AgentPid, out long kill) && (r.Ended is null || r.Ended > kill) && r.Started < kill);
                // Twice for one interval: two runs that both delivered (not one cut off with its agent and its re-run).
                int twice = runs.Where(MustBeStored).GroupBy(r => (hostOf.GetValueOrDefault(r.AgentPid, "?"), r.Check))
                    .Sum(g => CountTooClose(g.Select(r => r.Started).Order().ToArray(),
                        (g.Key.Check == "slow" ? options.SlowEvery : options.FastEvery).TotalMilliseconds / 2));
                await jobServer.KillAsync();
                return new AgentKillFigures(options.Schedule.Rounds, options.Agents, runs.Count, lost.Count, cutOff, outlived, twice,
                    faults.Recovery, faults.Unrecovered, ProcessTable.Matching(directory).Count,
                    [.. lost.Take(10).Select(r => $"{r.Check} run {r.Id} by pid {r.AgentPid}")]);
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

    private static int CountTooClose(long[] starts, double minimumMs)
    {
        int n = 0;
        for (int i = 1; i < starts.Length; i++)
            if (starts[i] - starts[i - 1] < minimumMs)
                n++;
        return n;
    }

    private static string Every(TimeSpan interval) => $"{(int)interval.TotalSeconds}s";
}
