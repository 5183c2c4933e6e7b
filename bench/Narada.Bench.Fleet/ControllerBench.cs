using System.Diagnostics;
using Narada.Controller;
using Narada.Core.Contracts;
using Narada.Gearman.Admin;
using Narada.Gearman.Client;
using Narada.Gearman.Transport;
using Narada.Testing;
using static Narada.Bench.Fleet.BenchReport;

namespace Narada.Bench.Fleet;

/// <summary>
/// <c>controller</c>: 10,000 simulated hosts (or <c>--hosts N</c>) × 10 checks every 60 s. Three measurements in one run: result intake
/// capacity (ResultIntake.Handle in a loop), the job server alone under a plain pipelined background-submit loop, and
/// the whole controller in its own process scheduling, dispatching and taking results back from a fake agent pool.
/// </summary>
internal static class ControllerBench
{
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(20);

    public static async Task<BenchReport> RunAsync()
    {
        var work = Directory.CreateTempSubdirectory("narada-bench-controller-").FullName;
        try
        {
            var intake = await IntakeCapacityAsync(work);
            Console.Error.WriteLine($"  intake: {F(intake.PerSecond, "0")} results/s, {F(intake.CpuSecondsPerResult * 1e6, "0")} µs CPU each");

            var drain = await WorkerDrain.RunBothAsync(jobs: 20_000, concurrency: 8);
            Console.Error.WriteLine($"  bare worker drain: {F(drain.InProcess.PerSecond, "0")} jobs/s in process, " +
                                    $"{F(drain.Gearmand.PerSecond, "0")} jobs/s from gearmand");

            var runs = new List<ServerRun>();
            await using (var narada = await LocalJobServer.StartAsync())
                runs.AddRange(await OnServerAsync("Narada job server (in the bench process)", narada.Address, work, 1, 3));
            await using (var gearmand = await GearmandServer.StartAsync())
                runs.AddRange(await OnServerAsync("stock gearmand (own process)", new ServerAddress(gearmand.Host, gearmand.Port), work, 1));
            return Report(intake, drain, runs);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private sealed record ServerRun(string Server, Baseline Baseline, Live Live);

    /// <summary>The baseline once, then a live controller run per entry of <paramref name="resultConnections"/>.</summary>
    private static async Task<IReadOnlyList<ServerRun>> OnServerAsync(string label, ServerAddress server, string work,
        params int[] resultConnections)
    {
        await using var pool = new FakeAgentPool(server);
        await pool.StartAsync();
        var baseline = await ServerAloneAsync(server, pool);
        Console.Error.WriteLine($"  {label} alone: {F(baseline.Submitted, "0")} submits/s, {F(baseline.Consumed, "0")} consumed/s");
        var runs = new List<ServerRun>();
        foreach (int connections in resultConnections)
        {
            var live = await ControllerLiveAsync(work, server, pool, connections);
            var name = connections == 1 ? label : $"{label}, controller with {connections} result connections";
            Console.Error.WriteLine($"  controller on {name}: {live}");
            runs.Add(new ServerRun(name, baseline, live));
        }
        return runs;
    }

    internal sealed record Intake(int Results, double Seconds, double CpuSeconds, double BytesPerCheck, double AllocatedPerResult,
        double GcPauseSeconds)
    {
        public double PerSecond => Results / Seconds;
        public double CpuSecondsPerResult => CpuSeconds / Results;
    }

    private sealed record Baseline(double Submitted, double Consumed, double CpuPercent);

    private sealed record Live(double DispatchPerSecond, double ControllerDispatched, double ResultsPerSecond, double HeartbeatsPerSecond,
        double CpuPercent, double RssMb, long ResultsBacklog, long CheckBacklog, double Errors, double Pending, double BenchCpuPercent)
    {
        public override string ToString() =>
            $"dispatch {F(DispatchPerSecond, "0")}/s, results {F(ResultsPerSecond, "0")}/s, CPU {F(CpuPercent, "0")}%, RSS {F(RssMb)} MB, " +
            $"backlog results {ResultsBacklog} checks {CheckBacklog}, bench process CPU {F(BenchCpuPercent, "0")}%";
    }

    /// <summary>Heartbeats of every host, then each (check, host) result twice, straight into ResultIntake.Handle.</summary>
    internal static async Task<Intake> IntakeCapacityAsync(string work)
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
            // No sweep while measuring: it would forget every check as one no host has, and intake would measure
            // creating check states rather than advancing them.
            SweepInterval = TimeSpan.FromHours(1),
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

        long heldBefore = GC.GetTotalMemory(forceFullCollection: true);
        long allocated0 = GC.GetTotalAllocatedBytes(precise: true);
        var paused0 = GC.GetTotalPauseDuration();
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
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated0;
        var paused = GC.GetTotalPauseDuration() - paused0;
        // What the controller holds for the fleet it now knows (every host's record and every check's state).
        long held = GC.GetTotalMemory(forceFullCollection: true) - heldBefore;
        int taken = beats.Length + 2 * results.Length;
        return new Intake(taken, seconds, cpu, held / (double)results.Length, allocated / (double)taken, paused.TotalSeconds);
    }

    /// <summary>The job server alone: a plain pipelined loop of background submits to the hosts' functions, consumed by the pool.</summary>
    private static async Task<Baseline> ServerAloneAsync(ServerAddress server, FakeAgentPool pool)
    {
        await using var client = new GearmanClient(new GearmanClientOptions { Servers = [server] });
        var payloads = Enumerable.Range(0, SimulatedFleet.ChecksPerHost).Select(c => Envelope.Serialize(new JobRequest
        {
            Id = "baseline",
            Kind = DefinitionKind.Check,
            Name = SimulatedFleet.Check(c),
            Plugin = "nagios.check_dummy",
            Params = new Dictionary<string, string> { ["state"] = "0", ["text"] = "simulated" },
            TimeoutMs = 10_000,
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
        long heldBefore = GC.GetTotalMemory(forceFullCollection: true);
        long allocated0 = GC.GetTotalAllocatedBytes(precise: true);
        var paused0 = GC.GetTotalPauseDuration();
        double cpu0 = ProcessMeter.CpuSeconds(Environment.ProcessId);
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref counting, true);
        await Task.Delay(TimeSpan.FromSeconds(5));
        double seconds = clock.Elapsed.TotalSeconds;
        var result = new Baseline(Interlocked.Read(ref submitted) / seconds, (pool.Received - consumed0) / seconds,
            (ProcessMeter.CpuSeconds(Environment.ProcessId) - cpu0) / seconds * 100);
        await stop.CancelAsync();
        await Task.WhenAll(loops);
        return result;
    }

    /// <summary>Lets the pool drain what the baseline left queued, so the live run starts from an empty server.</summary>
    private static async Task DrainAsync(GearmanAdminClient admin)
    {
        var drain = Stopwatch.StartNew();
        while ((await admin.GetStatusAsync()).Sum(s => s.Total - s.Running) > 0 && drain.Elapsed < TimeSpan.FromSeconds(30))
            await Task.Delay(100);
    }

    /// <summary>The controller in its own process, against the same server and pool, with heartbeats from every host.</summary>
    private static async Task<Live> ControllerLiveAsync(string work, ServerAddress server, FakeAgentPool pool, int connections)
    {
        var config = SimulatedFleet.WriteConfig(Path.Combine(work, "live-config"));
        await using var admin = await GearmanAdminClient.ConnectAsync(server);
        await DrainAsync(admin);
        await using var child = await ControllerChild.StartAsync(server, config,
            Path.Combine(work, "live-data-" + Guid.NewGuid().ToString("N")),
            connections);
        await using var beats = new HeartbeatStream(server);
        await Task.Delay(Warmup);

        var c0 = await child.CountersAsync();
        long received0 = pool.Received;
        double cpu0 = ProcessMeter.CpuSeconds(child.Pid), benchCpu0 = ProcessMeter.CpuSeconds(Environment.ProcessId);
        var clock = Stopwatch.StartNew();
        await Task.Delay(Window);
        double seconds = clock.Elapsed.TotalSeconds;
        double cpu = ProcessMeter.CpuSeconds(child.Pid) - cpu0;
        double benchCpu = ProcessMeter.CpuSeconds(Environment.ProcessId) - benchCpu0;
        long received = pool.Received - received0;
        var c1 = await child.CountersAsync();
        long rss = ProcessMeter.RssBytes(child.Pid);
        var status = await admin.GetStatusAsync();
        return new Live(received / seconds, (c1["dispatched"] - c0["dispatched"]) / seconds, (c1["checks"] - c0["checks"]) / seconds,
            (c1["heartbeats"] - c0["heartbeats"]) / seconds, cpu / seconds * 100, rss / 1024.0 / 1024.0,
            status.Where(s => s.Function == "narada.results").Sum(s => s.Total),
            status.Where(s => s.Function.StartsWith("narada.check@", StringComparison.Ordinal)).Sum(s => s.Total),
            c1["errors"], c1["pending"], benchCpu / seconds * 100);
    }

    private static BenchReport Report(Intake intake, (WorkerDrain.Outcome InProcess, WorkerDrain.Outcome Gearmand) drain,
        IReadOnlyList<ServerRun> runs)
    {
        var report = new BenchReport("Controller", SimulatedFleet.Hosts == 10_000 && SimulatedFleet.IntervalSeconds == 60 ? "controller" : $"controller at {SimulatedFleet.Hosts:N0} hosts, every {SimulatedFleet.IntervalSeconds} s");
        double rate = SimulatedFleet.ResultRate;
        report.Line($"{SimulatedFleet.Hosts:N0} simulated hosts × {SimulatedFleet.ChecksPerHost} checks every " +
                    $"{SimulatedFleet.IntervalSeconds} s = {F(rate, "0")} results/s needed, plus heartbeats every 30 s " +
                    $"({F(SimulatedFleet.Hosts / 30.0, "0")}/s). The controller (Quartz.NET scheduler, splayed dispatcher, " +
                    "`narada.results` worker, state, SQLite history) runs alone in a child process, so its CPU and RSS are " +
                    "its own; a fake agent pool (Narada GearmanWorkers, one per 500 hosts and at least 20, serving all " +
                    $"{SimulatedFleet.Hosts:N0} `narada.check@host` functions, " +
                    "answering at once and posting each result envelope to `narada.results`) and the heartbeat sender run " +
                    "in the benchmark process. The same run is done against two job servers; on Narada's also with the controller " +
                    "given the server three times (three `narada.results` worker connections), to test where intake is limited.");
        report.Line($"Machine: {Machine()}.");
        report.Line();
        report.Header(["measurement", .. runs.Select(r => r.Server)]);
        void Row(string label, Func<ServerRun, string> value) => report.Row([label, .. runs.Select(value)]);
        Row("controller: jobs dispatched to agents (seen by the pool)", r => $"{F(r.Live.DispatchPerSecond, "0")}/s");
        Row("controller: check results taken in from `narada.results`", r => $"{F(r.Live.ResultsPerSecond, "0")}/s");
        Row("controller: heartbeats taken in", r => $"{F(r.Live.HeartbeatsPerSecond, "0")}/s");
        Row($"controller CPU (utime+stime over {Window.TotalSeconds:0} s after {Warmup.TotalSeconds:0} s warm-up), % of one core",
            r => $"{F(r.Live.CpuPercent, "0")}%");
        Row("check results taken in per controller CPU-second (all of its work: scheduling, dispatch, heartbeats, intake; goal #24: 10,000)",
            r => $"{F(r.Live.ResultsPerSecond / Math.Max(r.Live.CpuPercent / 100, 1e-9), "0")}");
        Row("controller RSS at the end", r => $"{F(r.Live.RssMb)} MB");
        Row("bench process CPU meanwhile (pool, heartbeats, and the Narada job server when in process)",
            r => $"{F(r.Live.BenchCpuPercent, "0")}%");
        Row("backlog at the end: `narada.results` / `narada.check@*` queued", r => $"{r.Live.ResultsBacklog} / {r.Live.CheckBacklog}");
        Row("dispatch errors / dispatcher pending (splayed, not yet due)", r => $"{r.Live.Errors:0} / {r.Live.Pending:0}");
        Row($"job server alone: pipelined background submits (256 in flight) to the same {SimulatedFleet.Hosts * SimulatedFleet.ChecksPerHost:N0} uniques, 5 s",
            r => $"{F(r.Baseline.Submitted, "0")}/s submitted, {F(r.Baseline.Consumed, "0")}/s consumed by the pool");
        report.Line();
        report.Line($"Result intake capacity, `ResultIntake.Handle` in one thread including the SQLite history writes: " +
                    $"{F(intake.PerSecond, "0")} results/s, {F(intake.CpuSecondsPerResult * 1e6, "0")} µs CPU each, i.e. " +
                    $"{F(intake.CpuSecondsPerResult * rate * 100, "0")}% of a core at {F(rate, "0")}/s. Managed memory the " +
                    $"controller holds afterwards for its {SimulatedFleet.Hosts:N0} hosts and {SimulatedFleet.Hosts * SimulatedFleet.ChecksPerHost:N0} " +
                    $"check states: {F(intake.BytesPerCheck, "0")} bytes per check, hosts included.");
        report.Line($"One Narada GearmanWorker connection (concurrency 8 like the controller's, no-op handler) drains 20,000 queued " +
                    $"jobs at {F(drain.InProcess.PerSecond, "0")}/s from Narada's job server in the same process and at " +
                    $"{F(drain.Gearmand.PerSecond, "0")}/s from stock gearmand.");
        report.Line();
        foreach (var r in runs)
        {
            bool met = r.Live.DispatchPerSecond >= rate * 0.95 && r.Live.ResultsPerSecond >= rate * 0.95 && r.Live.CpuPercent < 100;
            report.Line($"Goal on {r.Server}: ≈{F(rate, "0")} results/s with the controller under one core: " +
                        $"{(met ? "met" : "MISSED")} (dispatch {F(r.Live.DispatchPerSecond, "0")}/s, intake " +
                        $"{F(r.Live.ResultsPerSecond, "0")}/s, CPU {F(r.Live.CpuPercent, "0")}%). That job server alone accepts " +
                        $"{F(r.Baseline.Submitted / rate, "0.0")}× the dispatch rate this fleet needs (and hands " +
                        $"{F(r.Baseline.Consumed / rate, "0.0")}× of it to this pool).");
        }
        return report;
    }
}
