using System.Diagnostics;
using Narada.Core.Contracts;
using Narada.Gearman.Admin;
using Narada.Gearman.Client;
using static Narada.Bench.Fleet.BenchReport;

namespace Narada.Bench.Fleet;

/// <summary>
/// <c>agent-footprint</c>: idle RSS and start-to-registered time of the NativeAOT agent and the JIT agent, several
/// fresh starts each, interleaved so both see the same machine load.
/// </summary>
internal static class AgentFootprintBench
{
    private const int Starts = 5;
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(3);

    public static async Task<BenchReport> RunAsync()
    {
        RepoLayout.RequireAgents();
        await using var server = await LocalJobServer.StartAsync();
        await using var admin = await GearmanAdminClient.ConnectAsync(server.Address);
        await using var client = new GearmanClient(new GearmanClientOptions { Servers = [server.Address] });

        var samples = AgentBuild.Both.ToDictionary(b => b.Label, _ => new List<Sample>());
        for (int i = 0; i < Starts; i++)
            foreach (var build in AgentBuild.Both)
            {
                var sample = await MeasureAsync(build, server.Port, admin, client, $"fp{i}{(build == AgentBuild.Native ? "n" : "j")}");
                samples[build.Label].Add(sample);
                Console.Error.WriteLine($"  {build.Label} #{i}: {sample}");
            }

        var report = new BenchReport("Agent", "agent-footprint");
        report.Line($"{Starts} fresh starts of each build, interleaved, against Narada's job server on loopback; medians (min–max). " +
                    $"Idle RSS is VmRSS {Idle.TotalSeconds:0} s after registration (first heartbeat sent, no jobs).");
        report.Line($"Machine: {Machine()}.");
        report.Line();
        report.Header("build", "idle RSS MB", "registered ms (admin `status` polled)", "registered ms (agent's own log)",
            "first job answered ms");
        foreach (var (label, list) in samples)
            report.Row(label, Span(list, s => s.RssMb), Span(list, s => s.RegisteredMs), Span(list, s => s.SelfReportedMs),
                Span(list, s => s.FirstJobMs));
        var native = samples[AgentBuild.Native.Label];
        var jit = samples[AgentBuild.Jit.Label];
        // A job submitted before the start can only be answered after registration, so its time bounds registration from
        // above without the polling slack of the admin column (a 1 ms poll sleeps much longer on a loaded machine).
        double rss = Median(native.Select(s => s.RssMb)), reg = Median(native.Select(s => s.FirstJobMs));
        report.Line();
        report.Line($"Ratios JIT / NativeAOT (medians): RSS {F(Median(jit.Select(s => s.RssMb)) / rss, "0.0")}×, first job answered " +
                    $"{F(Median(jit.Select(s => s.FirstJobMs)) / reg, "0.0")}×, registered (admin) " +
                    $"{F(Median(jit.Select(s => s.RegisteredMs)) / Median(native.Select(s => s.RegisteredMs)), "0.0")}×.");
        report.Line($"Goals (NativeAOT): idle RSS < 20 MB: {(rss < 20 ? "met" : "MISSED")} ({F(rss)} MB); registered < 100 ms: " +
                    $"{(reg < 100 ? "met" : "MISSED")} (a job submitted before the start is answered {F(reg, "0")} ms after it, " +
                    "which bounds registration from above).");
        return report;
    }

    private static async Task<Sample> MeasureAsync(AgentBuild build, int port, GearmanAdminClient admin, GearmanClient client, string name)
    {
        var function = $"narada.check@{name}";
        var clock = Stopwatch.StartNew();
        await using var agent = AgentProcess.Start(build, port, name, concurrency: 4);
        // Submitted before the agent exists: it waits in the job server and is answered as soon as the agent grabs.
        var request = Envelope.Serialize(new JobRequest { Id = name, Kind = DefinitionKind.Collector, Name = "load", Plugin = "system.load" });
        var firstJob = TimeAsync(clock, client.SubmitAsync($"narada.collect@{name}", request).AsTask());

        double registered;
        while (true)
        {
            var status = await admin.GetStatusAsync();
            if (status.Any(s => s.Function == function && s.AvailableWorkers > 0))
            {
                registered = clock.Elapsed.TotalMilliseconds;
                break;
            }
            if (clock.Elapsed > TimeSpan.FromSeconds(20))
                throw new TimeoutException($"{build.Label} did not register {function} within 20 s");
            await Task.Delay(1);
        }
        double firstJobMs = await firstJob;
        var self = await Task.WhenAny(agent.SelfReportedRegisteredMs, Task.Delay(2000)) == agent.SelfReportedRegisteredMs
            ? agent.SelfReportedRegisteredMs.Result : double.NaN;
        await Task.Delay(Idle);
        return new Sample(ProcessMeter.RssBytes(agent.Pid) / 1024.0 / 1024.0, registered, self, firstJobMs);
    }

    private static async Task<double> TimeAsync(Stopwatch clock, Task<Narada.Gearman.Client.JobResult> job)
    {
        var result = await job;
        if (!result.Succeeded)
            throw new InvalidOperationException($"first job failed: {result.Outcome}");
        return clock.Elapsed.TotalMilliseconds;
    }

    private static string Span(List<Sample> list, Func<Sample, double> pick)
    {
        var values = list.Select(pick).Where(v => !double.IsNaN(v)).ToArray();
        return values.Length == 0 ? "n/a (not logged)" : $"{F(Median(values))} ({F(values.Min())}–{F(values.Max())})";
    }

    private sealed record Sample(double RssMb, double RegisteredMs, double SelfReportedMs, double FirstJobMs)
    {
        public override string ToString() =>
            $"RSS {F(RssMb)} MB, registered {F(RegisteredMs)} ms (self {F(SelfReportedMs)}), first job {F(FirstJobMs)} ms";
    }
}
