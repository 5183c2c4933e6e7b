using System.Diagnostics;
using Narada.Controller;
using Narada.Core.Envelopes;
using Narada.Gearman.Admin;
using Narada.Gearman.Client;
using static Narada.Bench.Fleet.BenchReport;

namespace Narada.Bench.Fleet;

/// <summary>
/// <c>controller</c>: 10,000 simulated hosts × 10 checks every 60 s. Three measurements in one run: result intake
/// capacity (ResultIntake.Handle in a loop), the job server alone under a plain pipelined background-submit loop, and
/// the whole controller in its own process scheduling, dispatching and taking results back from a fake agent pool.
/// </summary>
internal static class ControllerBench
{
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(30);

    public static async Task<BenchReport> RunAsync()
    {
        var work = Directory.CreateTempSubdirectory("narada-bench-controller-").FullName;
        try
        {
            var intake = await IntakeCapacityAsync(work);
            Console.Error.WriteLine($"  intake: {F(intake.PerSecond, "0")} results/s, {F(intake.CpuSecondsPerResult * 1e6, "0")} µs CPU each");

            await using var server = await LocalJobServer.StartAsync();
            await using var pool = new FakeAgentPool(server.Address);
            await pool.StartAsync();
            var baseline = await ServerAloneAsync(server, pool);
            Console.Error.WriteLine($"  job server alone: {F(baseline.Submitted, "0")} submits/s, {F(baseline.Consumed, "0")} consumed/s");
            var live = await ControllerLiveAsync(work, server, pool);
            Console.Error.WriteLine($"  controller: {live}");
            return Report(intake, baseline, live);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private sealed record Intake(int Results, double Seconds, double CpuSeconds)
    {
        public double PerSecond => Results / Seconds;
        public double CpuSecondsPerResult => CpuSeconds / Results;
    }

    private sealed record Baseline(double Submitted, double Consumed, double CpuPercent);

    private sealed record Live(double DispatchPerSecond, double ControllerDispatched, double ResultsPerSecond, double HeartbeatsPerSecond,
        double CpuPercent, double RssMb, long ResultsBacklog, long CheckBacklog, double Errors, double Pending)
    {
        public override string ToString() =>
            $"dispatch {F(DispatchPerSecond, "0")}/s, results {F(ResultsPerSecond, "0")}/s, CPU {F(CpuPercent, "0")}%, RSS {F(RssMb)} MB, " +
            $"backlog results {ResultsBacklog} checks {CheckBacklog}";
    }

    /// <summary>Heartbeats of every host, then each (check, host) result twice, straight into ResultIntake.Handle.</summary>
    private static async Task<Intake> IntakeCapacityAsync(string work)
    {
        // Checks target a tag no host has: the scheduler runs but dispatches nothing, so only intake costs CPU here.
        var config = SimulatedFleet.WriteConfig(Path.Combine(work, "intake-config"), tag: "nobody");
        await using var server = await LocalJobServer.StartAsync();
        await using var controller = new NaradaController(new ControllerOptions
        {
            ConfigDirectory = config,
            DataDirectory = Path.Combine(work, "intake-data"),
            Servers = [server.Address],
            HttpListen = null,
            WatchConfig = false,
        });
        await controller.StartAsync();
        var beats = Enumerable.Range(0, SimulatedFleet.Hosts).Select(h => Envelope.Serialize(SimulatedFleet.Heartbeat(h))).ToArray();
        var results = new byte[SimulatedFleet.Hosts * SimulatedFleet.ChecksPerHost][];
        for (int n = 0; n < results.Length; n++)
        {
            var host = SimulatedFleet.Host(n % SimulatedFleet.Hosts);
            var check = SimulatedFleet.Check(n / SimulatedFleet.Hosts);
            results[n] = Envelope.Serialize(SimulatedFleet.Result($"{check}@{host}", check, host, n));
        }

        double cpu0 = ProcessMeter.CpuSeconds(Environment.ProcessId);
        var clock = Stopwatch.StartNew();
        foreach (var beat in beats)
            controller.Intake.Handle(beat, DateTimeOffset.UtcNow);
        for (int pass = 0; pass < 2; pass++)
            foreach (var result in results)
                controller.Intake.Handle(result, DateTimeOffset.UtcNow);
        await controller.History.FlushAsync(); // the SQLite writes are part of intake
        double seconds = clock.Elapsed.TotalSeconds;
        double cpu = ProcessMeter.CpuSeconds(Environment.ProcessId) - cpu0;
        return new Intake(beats.Length + 2 * results.Length, seconds, cpu);
    }

    /// <summary>The job server alone: a plain pipelined loop of background submits to the hosts' functions, consumed by the pool.</summary>
    private static async Task<Baseline> ServerAloneAsync(LocalJobServer server, FakeAgentPool pool)
    {
        await using var client = new GearmanClient(new GearmanClientOptions { Servers = [server.Address] });
        var payloads = Enumerable.Range(0, SimulatedFleet.ChecksPerHost).Select(c => Envelope.Serialize(new JobRequest
        {
            Id = "baseline", Kind = JobKind.Check, Name = SimulatedFleet.Check(c), Plugin = "nagios.check_dummy",
            Params = new Dictionary<string, string> { ["state"] = "0", ["text"] = "simulated" }, TimeoutMs = 10_000,
            ScheduledAt = DateTimeOffset.UtcNow,
        })).ToArray();
        long next = 0, submitted = 0;
        bool counting = false;
        using var stop = new CancellationTokenSource();
        var loops = Enumerable.Range(0, 256).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                long n = Interlocked.Increment(ref next);
                var host = SimulatedFleet.Host((int)(n % SimulatedFleet.Hosts));
                int check = (int)(n / SimulatedFleet.Hosts % SimulatedFleet.ChecksPerHost);
                await client.SubmitBackgroundAsync($"narada.check@{host}", payloads[check],
                    new JobOptions { Unique = $"check/{SimulatedFleet.Check(check)}@{host}" });
                if (Volatile.Read(ref counting))
                    Interlocked.Increment(ref submitted);
            }
        })).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(1));
        long consumed0 = pool.Received;
        double cpu0 = ProcessMeter.CpuSeconds(Environment.ProcessId);
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref counting, true);
        await Task.Delay(TimeSpan.FromSeconds(8));
        double seconds = clock.Elapsed.TotalSeconds;
        var result = new Baseline(Interlocked.Read(ref submitted) / seconds, (pool.Received - consumed0) / seconds,
            (ProcessMeter.CpuSeconds(Environment.ProcessId) - cpu0) / seconds * 100);
        await stop.CancelAsync();
        await Task.WhenAll(loops);
        // Let the pool drain what is queued so the live run starts from an empty server.
        await using var admin = await GearmanAdminClient.ConnectAsync(server.Address);
        var drain = Stopwatch.StartNew();
        while ((await admin.GetStatusAsync()).Sum(s => s.Total) > 0 && drain.Elapsed < TimeSpan.FromSeconds(30))
            await Task.Delay(100);
        return result;
    }

    /// <summary>The controller in its own process, against the same server and pool, with heartbeats from every host.</summary>
    private static async Task<Live> ControllerLiveAsync(string work, LocalJobServer server, FakeAgentPool pool)
    {
        var config = SimulatedFleet.WriteConfig(Path.Combine(work, "live-config"));
        await using var child = await ControllerChild.StartAsync(server.Address, config, Path.Combine(work, "live-data"));
        await using var beats = new HeartbeatStream(server.Address);
        await using var admin = await GearmanAdminClient.ConnectAsync(server.Address);
        await Task.Delay(Warmup);

        var c0 = await child.CountersAsync();
        long received0 = pool.Received;
        double cpu0 = ProcessMeter.CpuSeconds(child.Pid);
        var clock = Stopwatch.StartNew();
        await Task.Delay(Window);
        double seconds = clock.Elapsed.TotalSeconds;
        double cpu = ProcessMeter.CpuSeconds(child.Pid) - cpu0;
        long received = pool.Received - received0;
        var c1 = await child.CountersAsync();
        long rss = ProcessMeter.RssBytes(child.Pid);
        var status = await admin.GetStatusAsync();
        return new Live(received / seconds, (c1["dispatched"] - c0["dispatched"]) / seconds, (c1["checks"] - c0["checks"]) / seconds,
            (c1["heartbeats"] - c0["heartbeats"]) / seconds, cpu / seconds * 100, rss / 1024.0 / 1024.0,
            status.Where(s => s.Function == "narada.results").Sum(s => s.Total),
            status.Where(s => s.Function.StartsWith("narada.check@", StringComparison.Ordinal)).Sum(s => s.Total),
            c1["errors"], c1["pending"]);
    }

    private static BenchReport Report(Intake intake, Baseline baseline, Live live)
    {
        var report = new BenchReport("Controller", "controller");
        double rate = SimulatedFleet.ResultRate;
        report.Line($"{SimulatedFleet.Hosts:N0} simulated hosts × {SimulatedFleet.ChecksPerHost} checks every " +
                    $"{SimulatedFleet.IntervalSeconds} s = {F(rate, "0")} results/s needed, plus heartbeats every 30 s " +
                    $"({F(SimulatedFleet.Hosts / 30.0, "0")}/s). Narada's job server and a fake agent pool (20 Narada " +
                    "GearmanWorkers serving all 10,000 `narada.check@host` functions, answering at once and posting each " +
                    "result envelope to `narada.results`) run in the benchmark process; the controller runs alone in a child " +
                    "process, so its CPU and RSS are its own.");
        report.Line($"Machine: {Machine()}.");
        report.Line();
        report.Header("measurement", "value");
        report.Row("controller: jobs dispatched to agents (seen by the pool)", $"{F(live.DispatchPerSecond, "0")}/s");
        report.Row("controller: dispatched (its own counter)", $"{F(live.ControllerDispatched, "0")}/s");
        report.Row("controller: check results taken in from `narada.results`", $"{F(live.ResultsPerSecond, "0")}/s");
        report.Row("controller: heartbeats taken in", $"{F(live.HeartbeatsPerSecond, "0")}/s");
        report.Row($"controller CPU (utime+stime over {Window.TotalSeconds:0} s, after {Warmup.TotalSeconds:0} s warm-up)",
            $"{F(live.CpuPercent, "0")}% of one core");
        report.Row("controller RSS at the end", $"{F(live.RssMb)} MB");
        report.Row("backlog at the end: `narada.results` / `narada.check@*` queued", $"{live.ResultsBacklog} / {live.CheckBacklog}");
        report.Row("dispatch errors / dispatcher pending (splayed, not yet due)", $"{live.Errors:0} / {live.Pending:0}");
        report.Row("result intake capacity (ResultIntake.Handle, one thread, incl. SQLite history)",
            $"{F(intake.PerSecond, "0")}/s ({F(intake.CpuSecondsPerResult * 1e6, "0")} µs CPU each → " +
            $"{F(intake.CpuSecondsPerResult * rate * 100, "0")}% of a core at {F(rate, "0")}/s)");
        report.Row("job server alone: pipelined background submits (256 in flight) to the same 100,000 uniques",
            $"{F(baseline.Submitted, "0")}/s submitted, {F(baseline.Consumed, "0")}/s consumed by the pool");
        report.Line();
        bool rateMet = live.DispatchPerSecond >= rate * 0.9 && live.ResultsPerSecond >= rate * 0.9;
        report.Line($"Goal: ≈{F(rate, "0")} results/s with the controller under one core: " +
                    $"{(rateMet && live.CpuPercent < 100 ? "met" : "MISSED")} (dispatch {F(live.DispatchPerSecond, "0")}/s, " +
                    $"intake {F(live.ResultsPerSecond, "0")}/s, CPU {F(live.CpuPercent, "0")}%). The job server alone sustains " +
                    $"{F(baseline.Consumed / rate, "0.0")}× the dispatch rate this fleet needs.");
        return report;
    }
}
