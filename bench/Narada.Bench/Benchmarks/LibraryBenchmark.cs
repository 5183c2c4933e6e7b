using Narada.Bench.Hosting;
using Narada.Bench.Load;
using Narada.Bench.Peers;
using Narada.Bench.Report;
using Narada.Gearman.Transport;

namespace Narada.Bench.Benchmarks;

/// <summary>
/// <c>library</c>: echo jobs through one stock gearmand, Narada's client and worker against the PHP (libgearman) ones,
/// every figure a ratio to the PHP client + PHP worker pair measured in the same round.
/// </summary>
public static class LibraryBenchmark
{
    public const string Name = "library";
    public const string Parent = "## Gearman library";
    private const string Heading = "### Echo jobs through one gearmand (`library`)";

    private sealed record Cell(string Key, string Client, string Worker, Func<ServerAddress, string, Task<Measurement>> Run);

    public static async Task<int> RunAsync(BenchArguments args)
    {
        int jobs = args.Int("jobs", 3000);
        int payload = args.Int("payload", 64);
        int rounds = args.Int("rounds", 3);
        var seconds = TimeSpan.FromSeconds(args.Double("seconds", 1.5));
        int[] inFlight = args.Ints("in-flight", [64, 256]);
        int workerConcurrency = args.Int("worker-concurrency", 64);
        string machine = MachineDescription.Describe();

        var cells = new List<Cell>
        {
            new("php-sync", "PHP doNormal, one at a time", "PHP worker", (s, f) => PhpBoth(s, f, jobs, payload)),
            new("narada-sync", "Narada SubmitAsync, one at a time", "Narada worker (Concurrency 1)",
                (s, f) => NaradaSync(s, f, jobs, payload, naradaWorker: true)),
            new("narada-client", "Narada SubmitAsync, one at a time", "PHP worker",
                (s, f) => NaradaSync(s, f, jobs, payload, naradaWorker: false)),
            new("narada-worker", "PHP doNormal, one at a time", "Narada worker (Concurrency 1)",
                (s, f) => PhpClientNaradaWorker(s, f, jobs, payload)),
        };
        foreach (int n in inFlight)
            cells.Add(new($"narada-pipelined-{n}", $"Narada SubmitAsync, {n} in flight (1 connection)",
                $"Narada worker (Concurrency {workerConcurrency})", (s, f) => NaradaPipelined(s, f, payload, n, workerConcurrency, seconds)));
        // Which side limits the pipelined cells: each Narada side against the lean raw-socket counterpart.
        int top = inFlight.Max();
        cells.Add(new($"narada-client-{top}-raw-worker", $"Narada SubmitAsync, {top} in flight (1 connection)",
            "raw-socket worker, 64 grabs outstanding", (s, f) => NaradaClientRawWorker(s, f, payload, top, seconds)));
        cells.Add(new($"raw-client-{top}-narada-worker", $"raw-socket client, {top} in flight",
            $"Narada worker (Concurrency {workerConcurrency})", (s, f) => RawClientNaradaWorker(s, f, payload, top, workerConcurrency, seconds)));
        cells.Add(new($"raw-{top}", $"raw-socket client, {top} in flight", "raw-socket worker, 64 grabs outstanding",
            (s, f) => RawBoth(s, f, payload, top, seconds)));

        await using var gearmand = await ServerUnderTest.StartGearmandAsync();
        Console.WriteLine($"gearmand on {gearmand.Address}; {machine}");
        await WarmUpAsync(gearmand.Address, payload);

        var totals = cells.ToDictionary(c => c.Key, _ => new List<Measurement>());
        var ratios = cells.ToDictionary(c => c.Key, _ => new List<double>());
        var raw = new MarkdownTable("round", "cell", "jobs", "s", "jobs/s", "p50 ms", "p99 ms", "ratio to php-sync");
        for (int round = 1; round <= rounds; round++)
        {
            var measured = new Dictionary<string, Measurement>();
            // every other round runs the cells backwards, so no cell always meets the machine at the same moment
            foreach (var cell in round % 2 == 1 ? cells : Enumerable.Reverse(cells))
            {
                var m = await cell.Run(gearmand.Address, $"echo-{cell.Key}-{round}");
                measured[cell.Key] = m;
                totals[cell.Key].Add(m);
                Console.WriteLine($"round {round} {cell.Key,-30} {m.JobsPerSecond,10:N0} jobs/s  p50 {m.Latency.P50Ms:0.000} ms  p99 {m.Latency.P99Ms:0.000} ms");
            }
            double anchor = measured["php-sync"].JobsPerSecond;
            foreach (var cell in cells)
            {
                var m = measured[cell.Key];
                ratios[cell.Key].Add(m.JobsPerSecond / anchor);
                raw.Add($"{round}", cell.Key, Format.Count(m.Jobs), Format.Seconds(m.Seconds), Format.Rate(m.JobsPerSecond),
                    Format.Ms(m.Latency.P50Ms), Format.Ms(m.Latency.P99Ms), Format.Ratio(m.JobsPerSecond / anchor));
            }
        }

        var summary = new MarkdownTable("cell", "client", "worker", "jobs/s", "p50 ms", "p99 ms", "ratio to (a), median of rounds",
            "per-round ratios");
        char letter = 'a';
        foreach (var cell in cells)
        {
            var m = Measurement.Merge(totals[cell.Key]);
            summary.Add($"({letter++}) {cell.Key}", cell.Client, cell.Worker, Format.Rate(m.JobsPerSecond),
                Format.Ms(m.Latency.P50Ms), Format.Ms(m.Latency.P99Ms), Format.Ratio(RoundRatios.Median(ratios[cell.Key])),
                RoundRatios.List(ratios[cell.Key]));
        }

        string command = $"dotnet run -c Release --project bench/Narada.Bench -- {Name} {args.Text}".TrimEnd();
        string body = $"""
            Echo jobs ({payload}-byte payload) through ONE stock gearmand ({ServerUnderTest.Gearmand}, default threads) on
            loopback. The anchor (a) is the PHP client (php-gearman, i.e. libgearman) calling `doNormal` one job at a time
            against one PHP worker; every ratio is to (a) measured in the same run. Sequential cells run {jobs:N0} jobs per
            round, pipelined cells {seconds.TotalSeconds:0.#} s per round, {rounds} rounds (cells run backwards every other
            round); jobs/s = all jobs / all seconds, percentiles over every job of every round; the ratio is taken within
            each round and the median across rounds is reported, since the shared machine's load swings between rounds. The last three cells pair
            each Narada side with a lean raw-socket counterpart (bench/Narada.Bench/Load/Raw*.cs: pre-encoded packets,
            64 grabs outstanding, a thread per connection blocking in receive) to show which side limits pipelined throughput.

            - date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC
            - machine: {machine}
            - command: `{command}`
            - gearmand: `{gearmand.Command}`

            {summary}
            Raw figures per round:

            {raw}
            """;
        Console.WriteLine();
        Console.WriteLine(body);
        if (args.Has("write"))
        {
            ResultsFile.WriteSection(RepositoryPaths.Results, Heading, body, Parent);
            Console.WriteLine($"wrote '{Heading}' in {RepositoryPaths.Results}");
        }
        return 0;
    }

    /// <summary>JIT-compiles the Narada client and worker paths so the first measured cell is not the slow one.</summary>
    private static async Task WarmUpAsync(ServerAddress server, int payload)
    {
        await NaradaSync(server, "echo-warmup-sync", 2000, payload, naradaWorker: true);
        await NaradaPipelined(server, "echo-warmup-pipelined", payload, 64, 64, TimeSpan.FromSeconds(1));
    }

    private static async Task<Measurement> PhpBoth(ServerAddress server, string function, int jobs, int payload)
    {
        await using var worker = await PhpPeers.StartWorkersAsync(server, function, 1);
        return await PhpPeers.RunClientsAsync(server, function, 1, jobs, payload, background: false);
    }

    private static async Task<Measurement> PhpClientNaradaWorker(ServerAddress server, string function, int jobs, int payload)
    {
        await using var worker = await NaradaEcho.StartWorkerAsync(server, function, 1);
        return await PhpPeers.RunClientsAsync(server, function, 1, jobs, payload, background: false);
    }

    private static async Task<Measurement> NaradaSync(ServerAddress server, string function, int jobs, int payload, bool naradaWorker)
    {
        await using IAsyncDisposable worker = naradaWorker
            ? await NaradaEcho.StartWorkerAsync(server, function, 1)
            : await PhpPeers.StartWorkersAsync(server, function, 1);
        await using var client = NaradaEcho.Client(server);
        return await NaradaEcho.RunSequentialAsync(client, function, payload, jobs);
    }

    private static async Task<Measurement> NaradaClientRawWorker(ServerAddress server, string function, int payload, int inFlight,
        TimeSpan duration)
    {
        await using var worker = await RawWorkers.ConnectAsync(server, function, 1, grabsPerConnection: 64, dedicatedThreads: true);
        await QueueProbe.WaitForWorkersAsync(server, function, 1, TimeSpan.FromSeconds(10));
        await using var client = NaradaEcho.Client(server);
        return await NaradaEcho.RunPipelinedAsync(client, function, payload, inFlight, duration);
    }

    private static async Task<Measurement> RawClientNaradaWorker(ServerAddress server, string function, int payload, int inFlight,
        int workerConcurrency, TimeSpan duration)
    {
        await using var worker = await NaradaEcho.StartWorkerAsync(server, function, workerConcurrency);
        return await RawPipelinedClient.RunAsync(server, function, payload, inFlight, duration);
    }

    private static async Task<Measurement> RawBoth(ServerAddress server, string function, int payload, int inFlight, TimeSpan duration)
    {
        await using var worker = await RawWorkers.ConnectAsync(server, function, 1, grabsPerConnection: 64, dedicatedThreads: true);
        await QueueProbe.WaitForWorkersAsync(server, function, 1, TimeSpan.FromSeconds(10));
        return await RawPipelinedClient.RunAsync(server, function, payload, inFlight, duration);
    }

    private static async Task<Measurement> NaradaPipelined(ServerAddress server, string function, int payload, int inFlight,
        int workerConcurrency, TimeSpan duration)
    {
        await using var worker = await NaradaEcho.StartWorkerAsync(server, function, workerConcurrency);
        await using var client = NaradaEcho.Client(server);
        return await NaradaEcho.RunPipelinedAsync(client, function, payload, inFlight, duration);
    }
}
