using Narada.Core.Envelopes;
using Narada.Core.Formats;
using Narada.Gearman.Client;
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

    private sealed record Workload(string Plugin, Dictionary<string, string> Params, JobKind Kind, TimeSpan Duration, double Goal);

    private static readonly Workload[] Workloads =
    [
        new("nagios.check_dummy", new() { ["state"] = "0", ["text"] = "bench" }, JobKind.Check, TimeSpan.FromSeconds(10), 1000),
        new("system.load", [], JobKind.Collect, TimeSpan.FromSeconds(5), 20000),
        new("system.node", [], JobKind.Collect, TimeSpan.FromSeconds(5), 20000),
    ];

    public static async Task<BenchReport> RunAsync()
    {
        RepoLayout.RequireAgents();
        await using var server = await LocalJobServer.StartAsync();
        await using var client = new GearmanClient(new GearmanClientOptions { Servers = [server.Address] });
        var results = new Dictionary<(string Build, string Plugin), SubmitLoop.Outcome>();
        foreach (var build in AgentBuild.Both)
        {
            var name = build == AgentBuild.Native ? "tpnative" : "tpjit";
            await using var agent = AgentProcess.Start(build, server.Port, name, AgentConcurrency);
            foreach (var w in Workloads)
            {
                var function = $"narada.{(w.Kind == JobKind.Check ? "check" : "collect")}@{name}";
                var payload = Envelope.Serialize(new JobRequest { Id = "bench", Kind = w.Kind, Name = "bench", Plugin = w.Plugin, Params = w.Params });
                var outcome = await SubmitLoop.RunAsync(client, function, payload, CheckStatus.Ok, Window,
                    TimeSpan.FromSeconds(2), w.Duration, agent.Pid);
                results[(build.Label, w.Plugin)] = outcome;
                Console.Error.WriteLine($"  {build.Label} {w.Plugin}: {F(outcome.PerSecond, "0")}/s, agent CPU {F(outcome.AgentCpuSeconds / outcome.Seconds * 100, "0")}%");
            }
        }

        var report = new BenchReport("Agent", "plugin-throughput");
        report.Line($"One agent (concurrency {AgentConcurrency}) and Narada's job server (in the benchmark process) on loopback; " +
                    $"one pipelined client keeps {Window} foreground jobs in flight; 2 s warm-up, then counted. Every tenth answer " +
                    "is parsed and must be an OK result envelope.");
        report.Line($"Machine: {Machine()}. CPU columns: share of one core over the counted window " +
                    "(bench = job server + client in one process).");
        report.Line();
        report.Header("workload", "build", "runs/s", "agent CPU %", "plugin processes CPU %", "bench CPU %", "goal", "result");
        foreach (var w in Workloads)
            foreach (var build in AgentBuild.Both)
            {
                var o = results[(build.Label, w.Plugin)];
                report.Row(w.Plugin, build.Label, F(o.PerSecond, "0"), F(o.AgentCpuSeconds / o.Seconds * 100, "0"),
                    F(o.PluginCpuSeconds / o.Seconds * 100, "0"),
                    F(o.BenchCpuSeconds / o.Seconds * 100, "0"), $"{w.Goal:0}/s",
                    o.PerSecond >= w.Goal ? "met" : $"missed ({F(o.PerSecond / w.Goal * 100, "0")}% of goal)");
            }
        report.Line();
        var dummy = results[(AgentBuild.Native.Label, Workloads[0].Plugin)];
        report.Line($"check_dummy on the NativeAOT agent: {F(dummy.PerSecond, "0")}/s = {F(dummy.PerSecond / 400, "0.0")}× " +
                    "Mod-Gearman's ~400/s on 2 vCPUs (published figure, not re-measured here).");
        return report;
    }
}
