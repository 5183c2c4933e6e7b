using Narada.Core.Contracts;
using Narada.Core.Formats;
using Narada.Gearman.Client;
using Narada.Gearman.Transport;
using Narada.Testing;
using static Narada.Bench.Fleet.BenchReport;

namespace Narada.Bench.Fleet;

/// <summary>
/// <c>plugin-throughput</c>: check_dummy executions (a real fork+exec of the Monitoring Plugin per job) and built-in
/// collector runs per second through Narada's job server and one agent, NativeAOT and JIT builds in the same run.
/// </summary>
internal static class PluginThroughputBench
{
    private const int AgentConcurrency = 16;
    private const int Window = 64;

    private sealed record Workload(string Plugin, Dictionary<string, string> Params, DefinitionKind Kind, TimeSpan Duration, double Goal);

    private static readonly Workload[] Workloads =
    [
        new("nagios.check_dummy", new() { ["state"] = "0", ["text"] = "bench" }, DefinitionKind.Check, TimeSpan.FromSeconds(8), 1000),
        new("system.load", [], DefinitionKind.Collector, TimeSpan.FromSeconds(4), 20000),
        new("system.node", [], DefinitionKind.Collector, TimeSpan.FromSeconds(4), 20000),
    ];

    public static async Task<BenchReport> RunAsync()
    {
        RepoLayout.RequireAgents();
        var results = new Dictionary<(string Setup, string Plugin), SubmitLoop.Outcome>();
        var setups = new List<string>();
        await using (var narada = await LocalJobServer.StartAsync())
            foreach (var build in AgentBuild.Both)
                setups.Add(await MeasureAsync(build, "Narada job server", narada.Address, results));
        await using (var gearmand = await GearmandServer.StartAsync())
            setups.Add(await MeasureAsync(AgentBuild.Native, "stock gearmand", new ServerAddress(gearmand.Host, gearmand.Port), results));

        var report = new BenchReport("Agent", "plugin-throughput");
        report.Line($"One agent (concurrency {AgentConcurrency}) and a job server on loopback (Narada's, in the benchmark process; then stock gearmand); " +
                    $"one pipelined client keeps {Window} foreground jobs in flight; 2 s warm-up, then counted. Every tenth answer " +
                    "is parsed and must be an OK result envelope.");
        report.Line($"Machine: {Machine()}. CPU columns: share of one core over the counted window " +
                    "(bench = this process: the client, and Narada's job server when it is the server; plugin processes = check_dummy children the agent reaped).");
        report.Line();
        report.Header("workload", "agent, job server", "runs/s", "agent CPU %", "plugin processes CPU %", "bench CPU %", "goal", "result");
        foreach (var w in Workloads)
            foreach (var setup in setups)
            {
                var o = results[(setup, w.Plugin)];
                report.Row(w.Plugin, setup, F(o.PerSecond, "0"), F(o.AgentCpuSeconds / o.Seconds * 100, "0"),
                    F(o.PluginCpuSeconds / o.Seconds * 100, "0"),
                    F(o.BenchCpuSeconds / o.Seconds * 100, "0"), $"{w.Goal:0}/s",
                    o.PerSecond >= w.Goal ? "met" : $"missed ({F(o.PerSecond / w.Goal * 100, "0")}% of goal)");
            }
        report.Line();
        var dummy = results[(setups[0], Workloads[0].Plugin)];
        report.Line($"check_dummy on the NativeAOT agent: {F(dummy.PerSecond, "0")}/s = {F(dummy.PerSecond / 400, "0.0")}× " +
                    "Mod-Gearman's ~400/s on 2 vCPUs (published figure, not re-measured here).");
        return report;
    }

    private static async Task<string> MeasureAsync(AgentBuild build, string serverLabel, ServerAddress server,
        Dictionary<(string Setup, string Plugin), SubmitLoop.Outcome> results)
    {
        var setup = $"{build.Label}, {serverLabel}";
        var name = "tp" + Guid.NewGuid().ToString("N")[..8];
        await using var client = new GearmanClient(new GearmanClientOptions { Servers = [server] });
        await using var agent = AgentProcess.Start(build, server.Port, name, AgentConcurrency);
        foreach (var w in Workloads)
        {
            var function = FunctionNames.ForHost(w.Kind, name);
            var payload = Envelope.Serialize(new JobRequest { Id = "bench", Kind = w.Kind, Name = "bench", Plugin = w.Plugin, Params = w.Params });
            var outcome = await SubmitLoop.RunAsync(client, function, payload, CheckStatus.Ok, Window,
                TimeSpan.FromSeconds(2), w.Duration, agent.Pid);
            results[(setup, w.Plugin)] = outcome;
            Console.Error.WriteLine($"  {setup} {w.Plugin}: {F(outcome.PerSecond, "0")}/s, agent CPU {F(outcome.AgentCpuSeconds / outcome.Seconds * 100, "0")}%");
        }
        return setup;
    }
}
