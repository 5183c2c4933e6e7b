using Narada.Core.Contracts;
using Narada.Core.Formats;
using Narada.Gearman.Client;
using Narada.Testing;
using static Narada.Bench.Fleet.BenchReport;

namespace Narada.Bench.Fleet;

/// <summary>
/// <c>collector-cost</c>: CPU per full collection of the NativeAOT agent answering <c>system.node</c> jobs against
/// node_exporter answering scrapes of the same collectors, both processes of their own on the same machine, in
/// interleaved rounds so both see the same load. One request at a time on each side, as a scraper or a scheduler asks.
/// </summary>
internal static class CollectorCostBench
{
    private const int Collections = 2000;
    private const int Rounds = 4;
    private const int Warmup = 50;

    /// <summary>node_exporter's names for the collectors system.node covers (its parts, as NodeExporterParityTests pairs them).</summary>
    private static readonly string[] NodeExporterCollectors =
    [
        "cpu", "stat", "meminfo", "loadavg", "filesystem", "diskstats", "netdev", "filefd", "entropy", "vmstat", "sockstat", "netstat",
        "pressure", "uname", "os", "netclass", "arp", "softnet", "time", "timex", "cpufreq",
    ];

    /// <summary>system.node's part → node_exporter's collector of the same series (cpu and uptime share node_exporter's stat).</summary>
    private static readonly (string Agent, string NodeExporter)[] Parts =
    [
        ("cpu", "cpu + stat"), ("memory", "meminfo"), ("load", "loadavg"), ("filesystem", "filesystem"), ("disk", "diskstats"),
        ("network", "netdev"), ("uptime", "stat"), ("filefd", "filefd"), ("entropy", "entropy"), ("vmstat", "vmstat"), ("sockstat", "sockstat"),
        ("netstat", "netstat"), ("pressure", "pressure"), ("uname", "uname"), ("os", "os"), ("netclass", "netclass"), ("arp", "arp"),
        ("softnet", "softnet"), ("time", "time"), ("timex", "timex"), ("cpufreq", "cpufreq"),
    ];

    private const int DurationSamples = 30;

    private sealed class Side(string label)
    {
        public string Label { get; } = label;
        public double CpuSeconds { get; set; }
        public double WallSeconds { get; set; }
        public int Count { get; set; }
        public long Bytes { get; set; }
        public int Series { get; set; }
        public long RssBytes { get; set; }

        public double MicrosPerCollection => CpuSeconds / Count * 1e6;
    }

    public static async Task<BenchReport> RunAsync()
    {
        if (!File.Exists(RepoLayout.NativeAgent))
            throw new BenchSetupException($"{RepoLayout.NativeAgent} is missing: run scripts/publish-agent first");
        var exporterPath = RequiredTool.Path("prometheus-node-exporter", "prometheus-node-exporter");

        var port = FreePort.Next();
        // --web.disable-exporter-metrics: no go_* / process_* / promhttp_* series, only what the collectors produce.
        await using var exporter = ExternalProcess.Start(exporterPath,
            [$"--web.listen-address=127.0.0.1:{port}", "--web.disable-exporter-metrics", "--collector.disable-defaults",
                .. NodeExporterCollectors.Select(c => $"--collector.{c}")]);
        await GearmandServer.WaitForListenerAsync(port, () => exporter.HasExited ? $"node_exporter exited: {exporter.Stderr}" : null,
            TimeSpan.FromSeconds(30));
        using var http = new HttpClient();
        var url = $"http://127.0.0.1:{port}/metrics";

        await using var server = await LocalJobServer.StartAsync();
        var name = "cost" + Guid.NewGuid().ToString("N")[..8];
        await using var client = new GearmanClient(new GearmanClientOptions { Servers = [server.Address] });
        await using var agent = AgentProcess.Start(AgentBuild.Native, server.Port, name, concurrency: 1);
        var function = FunctionNames.ForHost(DefinitionKind.Collector, name);
        var request = Envelope.Serialize(new JobRequest { Id = "bench", Kind = DefinitionKind.Collector, Name = "node", Plugin = "system.node" });

        var nodeExporter = new Side("node_exporter 1.5 (scrape over HTTP, text format)");
        var narada = new Side("NativeAOT narada-agent (system.node job over Gearman, JSON result envelope)");
        async Task<long> ScrapeAsync()
        {
            var text = await http.GetStringAsync(url);
            return text.Length;
        }
        async Task<long> CollectAsync()
        {
            var result = await client.SubmitAsync(function, request);
            if (!result.Succeeded)
                throw new InvalidOperationException($"{function}: job {result.Outcome}");
            return result.Data.Length;
        }

        // Warm both (the agent's label caches and first-use paths, Go's pools) and check the answers are real.
        for (var i = 0; i < Warmup; i++)
        {
            await ScrapeAsync();
            await CollectAsync();
        }
        var answer = await client.SubmitAsync(function, request);
        var envelope = Envelope.Parse<Narada.Core.Contracts.JobResult>(answer.Data.Span);
        if (envelope.Status != CheckStatus.Ok)
            throw new InvalidOperationException($"system.node answered {envelope.Status}: {envelope.Output}");
        narada.Series = envelope.Samples.Count;
        nodeExporter.Series = PrometheusTextParser.Parse(await http.GetStringAsync(url)).Count;

        for (var round = 0; round < Rounds; round++)
        {
            // Alternate which side goes first, so neither always runs on the quieter half of a round.
            var order = round % 2 == 0 ? new[] { (nodeExporter, exporter.Id), (narada, agent.Pid) } : [(narada, agent.Pid), (nodeExporter, exporter.Id)];
            foreach (var (side, pid) in order)
            {
                var collect = side == narada ? (Func<Task<long>>)CollectAsync : ScrapeAsync;
                await MeasureAsync(side, pid, collect, Collections / Rounds);
                Console.Error.WriteLine($"  round {round + 1}: {side.Label}: {F(side.MicrosPerCollection, "0")} µs CPU per collection so far");
            }
        }
        // Where the time goes, by each side's own account: node_scrape_collector_duration_seconds{collector}, medians.
        var agentDurations = new Dictionary<string, List<double>>();
        var exporterDurations = new Dictionary<string, List<double>>();
        for (var i = 0; i < DurationSamples; i++)
        {
            var result = await client.SubmitAsync(function, request);
            foreach (var sample in Envelope.Parse<Narada.Core.Contracts.JobResult>(result.Data.Span).Samples)
                if (sample.Name == "node_scrape_collector_duration_seconds")
                    Add(agentDurations, sample.Labels["collector"], sample.Value);
            foreach (var sample in PrometheusTextParser.Parse(await http.GetStringAsync(url)))
                if (sample.Name == "node_scrape_collector_duration_seconds")
                    Add(exporterDurations, sample.Labels["collector"], sample.Value);
        }
        nodeExporter.RssBytes = ProcessMeter.RssBytes(exporter.Id);
        narada.RssBytes = ProcessMeter.RssBytes(agent.Pid);

        var report = new BenchReport("Agent", "collector-cost");
        report.Line($"One full collection of `system.node` by the NativeAOT agent against one node_exporter 1.5 scrape of the same " +
                    $"collectors (`--collector.disable-defaults` + {string.Join(", ", NodeExporterCollectors)}; " +
                    "`--web.disable-exporter-metrics`), each side a process of its own, asked one request at a time over loopback: " +
                    $"{Collections} collections each in {Rounds} interleaved rounds after {Warmup} to warm up. CPU is utime+stime of that " +
                    "process from /proc/PID/stat over the counted requests, so it includes each side's transport and encoding " +
                    "(HTTP + Prometheus text; Gearman + the JSON result envelope, the agent's job server being in the benchmark process).");
        report.Line($"Machine: {Machine()}.");
        report.Line();
        report.Header("side", "CPU µs per collection", "wall ms per collection", "series", "answer KB", "RSS MB");
        foreach (var side in new[] { nodeExporter, narada })
            report.Row(side.Label, F(side.MicrosPerCollection, "0"), F(side.WallSeconds / side.Count * 1000, "0.00"), side.Series,
                F(side.Bytes / (double)side.Count / 1024, "0.0"), ProcessMeter.Mb(side.RssBytes));
        var ratio = narada.MicrosPerCollection / nodeExporter.MicrosPerCollection;
        report.Line();
        report.Line($"Ratio agent / node_exporter, CPU per collection: {F(ratio, "0.00")}× " +
                    $"(goal ≤ 1: {(ratio <= 1 ? "met" : "MISSED")}); RSS {F(narada.RssBytes / (double)nodeExporter.RssBytes, "0.00")}×.");
        report.Line();
        report.Line($"Per collector, each side's own `node_scrape_collector_duration_seconds` (wall time inside the collector, median of " +
                    $"{DurationSamples} answers after the counted rounds; node_exporter runs its collectors in parallel goroutines, the agent one after another):");
        report.Line();
        report.Header("agent part", "node_exporter collector", "agent µs", "node_exporter µs");
        foreach (var (ours, theirs) in Parts)
        {
            var theirMedian = theirs.Split(" + ").Sum(c => exporterDurations.TryGetValue(c, out var v) ? Median(v) : double.NaN);
            report.Row(ours, theirs, F(Median(agentDurations.GetValueOrDefault(ours) ?? []) * 1e6, "0"), F(theirMedian * 1e6, "0"));
        }
        return report;
    }

    private static void Add(Dictionary<string, List<double>> into, string key, double value)
    {
        if (!into.TryGetValue(key, out var list))
            into[key] = list = [];
        list.Add(value);
    }

    private static async Task MeasureAsync(Side side, int pid, Func<Task<long>> collect, int count)
    {
        var cpu0 = ProcessMeter.CpuSeconds(pid);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long bytes = 0;
        for (var i = 0; i < count; i++)
            bytes += await collect();
        side.WallSeconds += clock.Elapsed.TotalSeconds;
        side.CpuSeconds += ProcessMeter.CpuSeconds(pid) - cpu0;
        side.Count += count;
        side.Bytes += bytes;
    }
}
