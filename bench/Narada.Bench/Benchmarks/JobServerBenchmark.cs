using System.Diagnostics;
using Narada.Bench.Hosting;
using Narada.Bench.Load;
using Narada.Bench.Peers;
using Narada.Bench.Report;
using Narada.Gearman.Transport;
using Narada.Testing;

namespace Narada.Bench.Benchmarks;

/// <summary>
/// <c>jobserver</c>: the same clients and workers against stock gearmand and against Narada's job server, both as
/// processes of their own, each workload run on both back to back; figures are Narada / gearmand ratios.
/// </summary>
public static class JobServerBenchmark
{
    public const string Name = "jobserver";
    public const string Parent = "## Job server";
    private const string Heading = "### Throughput and latency (`jobserver`)";
    private const string PersistentHeading = "### Persistent queue (`jobserver --queue sqlite`)";

    /// <summary>One workload; <see cref="Target"/> is the ratio Narada must reach, <see cref="P99NoWorse"/> adds the latency rule,
    /// <see cref="LoadInProcess"/> says this process is the load generator (its CPU per job is reported).</summary>
    private sealed record Workload(string Key, string Description, double Target, bool P99NoWorse,
        Func<ServerAddress, string, Task<Measurement>> Run, bool LoadInProcess = false);

    public static async Task<int> RunAsync(BenchArguments args)
    {
        int jobs = args.Int("jobs", 3000);
        int phpClients = args.Int("php-clients", 4);
        int payload = args.Int("payload", 64);
        int rounds = args.Int("rounds", 5);
        var seconds = TimeSpan.FromSeconds(args.Double("seconds", 1));
        int[] inFlight = args.Ints("in-flight", [64, 256]);
        int workerConcurrency = args.Int("worker-concurrency", 64);
        int rawWorkers = args.Int("raw-workers", 2);
        int rawGrabs = args.Int("raw-grabs", 32);
        string machine = MachineDescription.Describe();
        // --queue sqlite: both servers keep background jobs in SQLite (gearmand -q libsqlite3), and the background
        // workloads are the ones that count.
        bool persistent = (args.String("queue") ?? "memory") switch
        {
            "memory" => false,
            "sqlite" => true,
            var other => throw new ArgumentException($"--queue takes memory or sqlite, not '{other}'"),
        };

        var workloads = new List<Workload>
        {
            new("php-fg", "PHP doNormal ×1 client, 1 PHP worker", 1.0, false, (s, f) => PhpForeground(s, f, 1, jobs, payload)),
            new($"php-fg-x{phpClients}", $"PHP doNormal ×{phpClients} clients, {phpClients} PHP workers", 1.0, false,
                (s, f) => PhpForeground(s, f, phpClients, jobs / phpClients, payload)),
            new("php-bg", "PHP doBackground ×1 client (submit rate), 1 PHP worker draining the queue meanwhile; " +
                "`php-bg drained` counts until the last job ran", 1.0, false, (s, f) => PhpBackground(s, f, jobs, payload)),
        };
        foreach (int n in inFlight)
            workloads.Add(new($"pipelined-{n}", $"Narada client, {n} in flight on 1 connection; Narada worker (Concurrency {workerConcurrency})",
                2.0, true, (s, f) => Pipelined(s, f, payload, n, workerConcurrency, seconds), LoadInProcess: true));
        foreach (int n in inFlight)
            workloads.Add(new($"raw-pipelined-{n}", $"lean raw-socket load generator, {n} in flight on 1 connection; {rawWorkers} raw-socket " +
                $"worker connections, {rawGrabs} grabs outstanding each", 2.0, true, (s, f) => RawPipelined(s, f, payload, n, rawWorkers, rawGrabs, seconds),
                LoadInProcess: true));
        foreach (int n in inFlight)
            workloads.Add(new($"pipelined-bg-{n}", $"Narada client, {n} background submits in flight on 1 connection (submit rate); " +
                $"Narada worker (Concurrency {workerConcurrency}) draining meanwhile; `drained` counts until the last job ran", 1.0, false,
                (s, f) => PipelinedBackground(s, f, payload, n, workerConcurrency, seconds), LoadInProcess: true));
        if (args.String("workloads") is { } only)
        {
            var keys = only.Split(',', StringSplitOptions.RemoveEmptyEntries);
            if (keys.FirstOrDefault(k => workloads.All(w => w.Key != k)) is { } unknown)
                throw new ArgumentException($"unknown workload '{unknown}'; known: {string.Join(", ", workloads.Select(w => w.Key))}");
            workloads.RemoveAll(w => !keys.Contains(w.Key));
        }
        else if (persistent)
        {
            // A queue's persistence is what background submits wait for; the other workloads never touch it.
            workloads.RemoveAll(w => !w.Key.StartsWith("php-bg", StringComparison.Ordinal) && !w.Key.StartsWith("pipelined-bg", StringComparison.Ordinal));
        }
        else
        {
            workloads.RemoveAll(w => w.Key.StartsWith("pipelined-bg", StringComparison.Ordinal));
        }

        // Declared before the servers, so it is removed after they stopped.
        using var queueFiles = persistent ? new QueueDirectory() : null;
        var queueDirectory = queueFiles?.Path;
        string[] gearmandQueue = queueDirectory is null ? [] : ["--queue-type=libsqlite3", $"--libsqlite3-db={Path.Join(queueDirectory, "gearmand.sqlite")}"];
        await using var gearmand = await ServerUnderTest.StartGearmandAsync(gearmandQueue);
        await using var narada = await ServerUnderTest.StartNaradaAsync(args.String("narada-dll"), args.NaradaEnvironment, args.BusyPoll,
            queueDirectory is null ? null : System.IO.Path.Join(queueDirectory, "narada.sqlite"));
        ServerUnderTest[] servers = [gearmand, narada];
        Console.WriteLine($"gearmand on {gearmand.Address}, narada on {narada.Address}; {machine}");
        foreach (var server in servers)
            await WarmUpAsync(server.Address, payload);

        var results = workloads.ToDictionary(w => w.Key, _ => servers.ToDictionary(s => s.Name, _ => new List<Measurement>()));
        var raw = new MarkdownTable("round", "workload", "server", "jobs", "s", "jobs/s", "p50 ms", "p99 ms", "server CPU s");
        int turn = 0;
        for (int round = 1; round <= rounds; round++)
        {
            foreach (var w in workloads)
            {
                // alternate which server goes first so drift in the machine's load does not favour one
                var order = turn++ % 2 == 0 ? servers : servers.Reverse().ToArray();
                foreach (var server in order)
                {
                    var m = await MeasureAsync(server, w, $"echo-{w.Key}-{round}");
                    results[w.Key][server.Name].Add(m);
                    raw.Add($"{round}", w.Key, server.Name, Format.Count(m.Jobs), Format.Seconds(m.Seconds), Format.Rate(m.JobsPerSecond),
                        Format.Ms(m.Latency.P50Ms), Format.Ms(m.Latency.P99Ms), Format.Optional(m.ServerCpuSeconds, Format.Seconds));
                    Console.WriteLine($"round {round} {w.Key,-16} {server.Name,-8} {m.JobsPerSecond,10:N0} jobs/s  " +
                                      $"p50 {m.Latency.P50Ms:0.000} ms  p99 {m.Latency.P99Ms:0.000} ms  server CPU {m.ServerCpuSeconds:0.00} s");
                }
            }
        }

        var summary = new MarkdownTable("workload", "gearmand jobs/s", "narada jobs/s", "narada / gearmand (median of rounds)",
            "per-round ratios", "target", "p50 ms g / n", "p99 ms g / n", "jobs per server CPU-s g / n",
            "load generator CPU µs per job g / n", "verdict");
        foreach (var w in workloads)
        {
            var gRounds = results[w.Key]["gearmand"];
            var nRounds = results[w.Key]["narada"];
            var g = Measurement.Merge(gRounds);
            var n = Measurement.Merge(nRounds);
            var perRound = gRounds.Zip(nRounds, (a, b) => b.JobsPerSecond / a.JobsPerSecond).ToArray();
            double ratio = RoundRatios.Median(perRound);
            bool rateMet = ratio >= w.Target;
            bool p99Met = !w.P99NoWorse || n.Latency.Count == 0 || n.Latency.P99Ms <= g.Latency.P99Ms;
            string verdict = rateMet && p99Met ? "met" : $"NOT met ({(rateMet ? "" : "rate")}{(rateMet || p99Met ? "" : ", ")}{(p99Met ? "" : "p99")})";
            summary.Add(w.Key, Format.Rate(g.JobsPerSecond), Format.Rate(n.JobsPerSecond), Format.Ratio(ratio), RoundRatios.List(perRound),
                $"≥ {w.Target:0.#}×{(w.P99NoWorse ? ", p99 ≤" : "")}",
                $"{Format.Ms(g.Latency.P50Ms)} / {Format.Ms(n.Latency.P50Ms)}", $"{Format.Ms(g.Latency.P99Ms)} / {Format.Ms(n.Latency.P99Ms)}",
                $"{Format.Optional(g.JobsPerServerCpuSecond, Format.Rate)} / {Format.Optional(n.JobsPerServerCpuSecond, Format.Rate)}",
                w.LoadInProcess ? $"{Format.Optional(g.LoadCpuMicrosecondsPerJob, Format.Micros)} / {Format.Optional(n.LoadCpuMicrosecondsPerJob, Format.Micros)}" : "-",
                verdict);
            if (g.DrainedSeconds is { } gd && n.DrainedSeconds is { } nd)
            {
                var drainedPerRound = gRounds.Zip(nRounds, (a, b) => (b.Jobs / b.DrainedSeconds!.Value) / (a.Jobs / a.DrainedSeconds!.Value)).ToArray();
                double drained = RoundRatios.Median(drainedPerRound);
                summary.Add($"{w.Key} drained", Format.Rate(g.Jobs / gd), Format.Rate(n.Jobs / nd), Format.Ratio(drained),
                    RoundRatios.List(drainedPerRound), $"≥ {w.Target:0.#}×", "-", "-", "-", "-", drained >= w.Target ? "met" : "NOT met (rate)");
            }
        }
        var legend = string.Join('\n', workloads.Select(w => $"- `{w.Key}`: {w.Description}"));

        string command = $"dotnet run -c Release --project bench/Narada.Bench -- {Name} {args.Text}".TrimEnd();
        string queueText = persistent
            ? "a persistent queue in SQLite files side by side in one directory on the same disk (gearmand `-q libsqlite3`, " +
              "Narada's default queue: each background job is stored before the server acknowledges it)"
            : "a memory queue";
        string body = $"""
            The same peers against stock gearmand and Narada's job server, each a process of its own on loopback, with
            {queueText}. Every workload runs on both servers back to back (the first one alternating), {rounds} rounds;
            the ratio is taken within each round and the median across rounds is reported (the shared machine's load
            swings between rounds); the jobs/s columns are all jobs / all seconds; latency per job as the client sees it (for background jobs: the submit call),
            "server CPU" is user+system time of the server process during the workload (from `/proc/<pid>/stat`); for the
            workloads whose load generator runs in this benchmark's process, "load generator CPU" is that process's own.
            {payload}-byte echo payload; PHP runs use {jobs:N0} jobs per round, pipelined ones {seconds.TotalSeconds:0.##} s.

            - date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC
            - machine: {machine}
            - command: `{command}`
            - gearmand: `{gearmand.Command}` (default threads)
            - narada: `{narada.Command}`

            {legend}

            {summary}
            Raw figures:

            {raw}
            """;
        Console.WriteLine();
        Console.WriteLine(body);
        if (args.Has("write"))
        {
            string heading = persistent ? PersistentHeading : Heading;
            ResultsFile.WriteSection(RepositoryPaths.Results, heading, body, Parent);
            Console.WriteLine($"wrote '{heading}' in {RepositoryPaths.Results}");
        }
        return 0;
    }

    private static async Task<Measurement> MeasureAsync(ServerUnderTest server, Workload workload, string function)
    {
        double cpuBefore = server.Process.CpuSeconds();
        double loadBefore = ProcStat.CpuSeconds(Environment.ProcessId);
        var m = await workload.Run(server.Address, function);
        return m with
        {
            ServerCpuSeconds = server.Process.CpuSeconds() - cpuBefore,
            LoadCpuSeconds = workload.LoadInProcess ? ProcStat.CpuSeconds(Environment.ProcessId) - loadBefore : null,
        };
    }

    /// <summary>Tiered JIT in Narada's server wants a few thousand jobs on each path before it is at full speed.</summary>
    private static async Task WarmUpAsync(ServerAddress server, int payload)
    {
        await Pipelined(server, "echo-warmup-pipelined", payload, 64, 64, TimeSpan.FromSeconds(1));
        await RawPipelined(server, "echo-warmup-raw", payload, 64, 2, 32, TimeSpan.FromSeconds(1));
        await PhpForeground(server, "echo-warmup-php", 1, 1000, payload);
        await PhpBackground(server, "echo-warmup-bg", 1000, payload);
    }

    private static async Task<Measurement> PhpForeground(ServerAddress server, string function, int clients, int jobsPerClient, int payload)
    {
        await using var workers = await PhpPeers.StartWorkersAsync(server, function, clients);
        return await PhpPeers.RunClientsAsync(server, function, clients, jobsPerClient, payload, background: false);
    }

    /// <summary>Background submits while a worker drains the queue; the drain is timed from the PHP client's own end.</summary>
    private static async Task<Measurement> PhpBackground(ServerAddress server, string function, int jobs, int payload)
    {
        await using var workers = await PhpPeers.StartWorkersAsync(server, function, 1);
        var submitted = await PhpPeers.RunClientsAsync(server, function, 1, jobs, payload, background: true);
        var afterSubmit = Stopwatch.StartNew();
        await QueueProbe.WaitForDrainAsync(server, function, TimeSpan.FromSeconds(60));
        return submitted with { DrainedSeconds = submitted.Seconds + afterSubmit.Elapsed.TotalSeconds };
    }

    private static async Task<Measurement> RawPipelined(ServerAddress server, string function, int payload, int inFlight,
        int workers, int grabs, TimeSpan duration)
    {
        await using var pool = await RawWorkers.ConnectAsync(server, function, workers, grabs, dedicatedThreads: true);
        await QueueProbe.WaitForWorkersAsync(server, function, workers, TimeSpan.FromSeconds(10));
        return await RawPipelinedClient.RunAsync(server, function, payload, inFlight, duration);
    }

    /// <summary>A temporary directory for the two servers' queue files.</summary>
    private sealed class QueueDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("narada-bench-queue-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }

    /// <summary>Background submits while a Narada worker drains the queue; drained once the queue is empty again.</summary>
    private static async Task<Measurement> PipelinedBackground(ServerAddress server, string function, int payload, int inFlight,
        int workerConcurrency, TimeSpan duration)
    {
        await using var worker = await NaradaEcho.StartWorkerAsync(server, function, workerConcurrency);
        await using var client = NaradaEcho.Client(server);
        var submitted = await NaradaEcho.RunPipelinedBackgroundAsync(client, function, payload, inFlight, duration);
        var afterSubmit = Stopwatch.StartNew();
        await QueueProbe.WaitForDrainAsync(server, function, TimeSpan.FromSeconds(120));
        return submitted with { DrainedSeconds = submitted.Seconds + afterSubmit.Elapsed.TotalSeconds };
    }

    private static async Task<Measurement> Pipelined(ServerAddress server, string function, int payload, int inFlight,
        int workerConcurrency, TimeSpan duration)
    {
        await using var worker = await NaradaEcho.StartWorkerAsync(server, function, workerConcurrency);
        await using var client = NaradaEcho.Client(server);
        return await NaradaEcho.RunPipelinedAsync(client, function, payload, inFlight, duration);
    }
}
