using System.Diagnostics;
using Narada.Bench.Hosting;
using Narada.Bench.Load;
using Narada.Bench.Report;
using Narada.Gearman.Client;
using Narada.Gearman.Transport;

namespace Narada.Bench.Benchmarks;

/// <summary>
/// <c>idle-workers</c>: 10,000 connected sleeping workers on stock gearmand and on Narada's job server: the server's
/// resident memory, and how long one job then takes to reach one of them and come back.
/// </summary>
public static class IdleWorkersBenchmark
{
    public const string Name = "idle-workers";
    private const string Heading = "### 10,000 idle workers (`idle-workers`)";
    private const double MaxRssMiB = 150;
    private const double MaxDispatchMs = 5;

    private sealed record Outcome(string Server, double ConnectSeconds, long RssBeforeKb, long RssIdleKb, long RssAfterKb,
        long PeakKb, LatencySample Control, LatencySample Crowd, double WakeUpsPerJob);

    public static async Task<int> RunAsync(BenchArguments args)
    {
        int workers = args.Int("workers", 10_000);
        // 100, not fewer: p90 of 20 samples is the second-slowest job, and that swung 0.6-6.4 ms from run to run
        int jobs = args.Int("jobs", 100);
        int payload = args.Int("payload", 64);
        string machine = MachineDescription.Describe();
        long fdLimit = OpenFileLimit();
        if (fdLimit < workers + 500)
        {
            Console.Error.WriteLine($"open file limit is {fdLimit}, {workers} workers need more: run `ulimit -n {workers + 1000}` first " +
                                    "(the servers inherit it)");
            return 2;
        }

        var outcomes = new List<Outcome>();
        string gearmandCommand, naradaCommand;
        // a longer listen backlog only speeds up the connect storm (gearmand drops SYNs past its default of 32); it is not measured
        await using (var gearmand = await ServerUnderTest.StartGearmandAsync("--backlog=1024"))
        {
            gearmandCommand = gearmand.Command;
            outcomes.Add(await MeasureAsync(gearmand, workers, jobs, payload));
        }
        await using (var narada = await ServerUnderTest.StartNaradaAsync(args.String("narada-dll"), args.NaradaEnvironment, args.BusyPoll))
        {
            naradaCommand = narada.Command;
            outcomes.Add(await MeasureAsync(narada, workers, jobs, payload));
        }

        var table = new MarkdownTable("server", "connect s", "RSS empty MiB", $"RSS {workers:N0} idle MiB", "RSS after jobs MiB",
            "peak MiB", "KiB per worker", "dispatch p50 / p90 / max ms", "control p50 ms (1 worker)", "NOOPs per job", "verdict");
        foreach (var o in outcomes)
        {
            var missed = new List<string>();
            if (o.PeakKb / 1024.0 >= MaxRssMiB)
                missed.Add("memory");
            if (o.Crowd.PercentileMs(0.9) >= MaxDispatchMs)
                missed.Add("dispatch");
            string why = missed.Count == 0 ? "met" : $"NOT met ({string.Join(", ", missed)})";
            table.Add(o.Server, Format.Seconds(o.ConnectSeconds), Format.MiB(o.RssBeforeKb), Format.MiB(o.RssIdleKb), Format.MiB(o.RssAfterKb),
                Format.MiB(o.PeakKb), $"{(o.RssIdleKb - o.RssBeforeKb) / (double)workers:0.0}",
                $"{Format.Ms(o.Crowd.P50Ms)} / {Format.Ms(o.Crowd.PercentileMs(0.9))} / {Format.Ms(o.Crowd.MaxMs)}",
                Format.Ms(o.Control.P50Ms), $"{o.WakeUpsPerJob:N0}", why);
        }
        var g = outcomes[0];
        var n = outcomes[1];

        string command = $"dotnet run -c Release --project bench/Narada.Bench -- {Name} {args.Text}".TrimEnd();
        string body = $"""
            {workers:N0} workers connect on raw sockets (CAN_DO `echo` + PRE_SLEEP, then the usual NOOP → GRAB_JOB →
            NO_JOB → PRE_SLEEP cycle), to each server in turn, both processes of their own on loopback. Memory is
            VmRSS / VmHWM of the server process from `/proc/<pid>/status`. Then {jobs} echo jobs are submitted one at
            a time by a Narada client and timed from submit to result, with all the workers asleep before each; the control
            is the same {jobs} jobs with a single sleeping worker before the crowd connects. "NOOPs per job" is how many
            sleepers the server woke per job. Targets (Narada): peak RSS under {MaxRssMiB:0} MiB, dispatch under {MaxDispatchMs:0} ms,
            judged on p90: the few slowest jobs are mostly this shared machine's scheduler's doing (compare the control,
            and the max).

            - date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC
            - machine: {machine}
            - command: `{command}` (open file limit {fdLimit})
            - gearmand: `{gearmandCommand}` (default threads)
            - narada: `{naradaCommand}`

            {table}
            Ratios narada / gearmand: RSS with idle workers {Format.Ratio((double)n.RssIdleKb / g.RssIdleKb)}, dispatch p50
            {Format.Ratio(n.Crowd.P50Ms / g.Crowd.P50Ms)}, max {Format.Ratio(n.Crowd.MaxMs / g.Crowd.MaxMs)}.
            """;
        Console.WriteLine();
        Console.WriteLine(body);
        if (args.Has("write"))
        {
            ResultsFile.WriteSection(RepositoryPaths.Results, Heading, body, JobServerBenchmark.Parent);
            Console.WriteLine($"wrote '{Heading}' in {RepositoryPaths.Results}");
        }
        return 0;
    }

    private static async Task<Outcome> MeasureAsync(ServerUnderTest server, int workers, int jobs, int payload)
    {
        await using var client = NaradaEcho.Client(server.Address);
        LatencySample control;
        await using (var one = await RawWorkers.ConnectAsync(server.Address, "echo-control", 1))
        {
            await QueueProbe.WaitForWorkersAsync(server.Address, "echo-control", 1, TimeSpan.FromSeconds(10));
            (control, _) = await DispatchAsync(client, one, "echo-control", jobs, payload);
        }
        var (rssBefore, _) = server.Process.Memory();

        var clock = Stopwatch.StartNew();
        await using var crowd = await RawWorkers.ConnectAsync(server.Address, "echo", workers);
        await QueueProbe.WaitForWorkersAsync(server.Address, "echo", workers, TimeSpan.FromSeconds(60));
        double connectSeconds = clock.Elapsed.TotalSeconds;
        var (rssIdle, _) = server.Process.Memory();
        Console.WriteLine($"{server.Name}: {crowd.Count:N0} workers connected in {connectSeconds:0.00} s, RSS {rssBefore / 1024.0:0.0} → {rssIdle / 1024.0:0.0} MiB");

        var (latency, wakeUps) = await DispatchAsync(client, crowd, "echo", jobs, payload);
        var (rssAfter, peak) = server.Process.Memory();
        Console.WriteLine($"{server.Name}: dispatch p50 {latency.P50Ms:0.000} ms, p90 {latency.PercentileMs(0.9):0.000} ms, max {latency.MaxMs:0.000} ms; " +
                          $"{wakeUps:N0} NOOPs per job; RSS after {rssAfter / 1024.0:0.0} MiB, peak {peak / 1024.0:0.0} MiB");
        return new Outcome(server.Name, connectSeconds, rssBefore, rssIdle, rssAfter, peak, control, latency, wakeUps);
    }

    /// <summary>Runs the jobs one at a time, each only once every woken worker has gone back to sleep.</summary>
    private static async Task<(LatencySample Latency, double WakeUpsPerJob)> DispatchAsync(GearmanClient client, RawWorkers swarm,
        string function, int jobs, int payloadBytes)
    {
        var payload = new byte[payloadBytes];
        var latency = new LatencySample();
        long wakeUpsBefore = swarm.WakeUps;
        var options = new JobOptions { Timeout = TimeSpan.FromSeconds(10) };
        for (int i = 0; i < jobs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            var result = await client.SubmitAsync(function, payload, options);
            latency.Add((long)Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            if (!result.Succeeded)
                throw new InvalidOperationException($"job {result.Handle} ended {result.Outcome}");
            await SettleAsync(swarm);
        }
        return (latency, (swarm.WakeUps - wakeUpsBefore) / (double)jobs);
    }

    /// <summary>Waits until the swarm stops receiving wake-ups, so the next job meets sleeping workers only.</summary>
    private static async Task SettleAsync(RawWorkers swarm)
    {
        long seen = -1;
        while (swarm.WakeUps != seen || swarm.Asleep != swarm.Count)
        {
            seen = swarm.WakeUps;
            await Task.Delay(20);
        }
    }

    private static long OpenFileLimit()
    {
        var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        var soft = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3];
        return soft is null or "unlimited" ? long.MaxValue : long.Parse(soft);
    }
}
