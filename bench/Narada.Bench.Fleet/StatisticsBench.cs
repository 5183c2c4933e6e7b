using System.Diagnostics;
using Narada.Controller;
using Narada.Controller.Metrics.RemoteWrite;
using Narada.Core.Metrics;
using static Narada.Bench.Fleet.BenchReport;

namespace Narada.Bench.Fleet;

/// <summary>
/// <c>statistics</c>: 10,000 hosts × 250 agent series (node_exporter-like names and labels) held by one controller:
/// memory per host, the full <c>/metrics</c> page against one shard of four (<c>?shard=0&amp;of=4</c>) in the same run,
/// remote-write encoding (protobuf + snappy) in samples/s, and one whole snapshot pushed into a real Prometheus
/// receiver (Debian's prometheus, <c>--web.enable-remote-write-receiver</c>).
/// </summary>
internal static class StatisticsBench
{
    private const int Hosts = 10_000;
    private const int SeriesPerHost = 250;
    private const int Rounds = 5;

    public static async Task<BenchReport> RunAsync()
    {
        var work = Directory.CreateTempSubdirectory("narada-bench-statistics-").FullName;
        try
        {
            await using var controller = await RenderingController.StartAsync(work);
            var now = DateTimeOffset.UtcNow;
            long before = Allocated();
            for (int h = 0; h < Hosts; h++)
            {
                var host = $"host{h:00000}";
                controller.Hosts.Heartbeat(host, ["fleet"], ["system.node"], new Dictionary<string, object?>(), "bench", TimeSpan.FromSeconds(30), now);
                controller.Samples.Replace(host, "collect/node", HostSeries(h), now);
            }
            long perHost = (Allocated() - before) / Hosts;
            Console.Error.WriteLine($"  held: {perHost / 1024.0:0.0} KiB per host ({SeriesPerHost} series)");

            using var http = new HttpClient { BaseAddress = controller.HttpAddress, Timeout = TimeSpan.FromMinutes(5) };
            var pages = new List<(string Path, double Median, long Bytes)>();
            foreach (var path in new[] { "/metrics", "/metrics?shard=0&of=4" })
            {
                long bytes = (await http.GetByteArrayAsync(path)).LongLength; // warm up
                var times = new List<double>();
                for (int i = 0; i < Rounds; i++)
                {
                    var clock = Stopwatch.StartNew();
                    bytes = (await http.GetByteArrayAsync(path)).LongLength;
                    times.Add(clock.Elapsed.TotalMilliseconds);
                }
                times.Sort();
                pages.Add((path, Median(times), bytes));
                Console.Error.WriteLine($"  {path}: median {F(Median(times))} ms, {bytes / 1024 / 1024} MiB");
            }

            var samples = controller.FleetSamples().ToList();
            var encode = Stopwatch.StartNew();
            long compressed = 0;
            foreach (var batch in samples.Chunk(2000))
                compressed += RemoteWriteEncoder.Compress(RemoteWriteEncoder.Encode(batch, now.ToUnixTimeMilliseconds())).Length;
            double encodeRate = samples.Count / encode.Elapsed.TotalSeconds;
            Console.Error.WriteLine($"  remote-write encoding: {encodeRate:N0} samples/s, {compressed / 1024 / 1024} MiB compressed");

            var (pushSeconds, pushed, senderCpu, receiverCpu) = await PushAsync(samples, work);
            var report = new BenchReport("Controller", "statistics");
            report.Line($"{Hosts:N0} hosts × {SeriesPerHost} agent series ({samples.Count:N0} fleet series with the check and agent ones) in one " +
                        $"controller; pages fetched {Rounds} times each over loopback after one to warm up, one at a time, in one run.");
            report.Line($"Machine: {Machine()}.");
            report.Line();
            report.Header("what", "figure", "ratio");
            var full = pages[0];
            foreach (var (path, median, bytes) in pages)
                report.Row($"`GET {path}`", $"{F(median)} ms, {bytes / 1024.0 / 1024:0.0} MiB", F(median / full.Median, "0.00") + "× the full page");
            report.Row("memory held per host", $"{perHost / 1024.0:0.0} KiB ({perHost / SeriesPerHost} B per series)", "");
            report.Row("remote-write encoding (protobuf + snappy, one core)", $"{encodeRate:N0} samples/s, {compressed / 1024.0 / 1024:0.0} MiB on the wire",
                F(full.Bytes / (double)compressed, "0.0") + "× smaller than the text page");
            report.Row("one snapshot pushed into a real Prometheus", $"{pushed:N0} samples in {F(pushSeconds, "0.0")} s ({pushed / pushSeconds:N0} samples/s)",
                F(pushSeconds * 1000 / full.Median, "0.00") + "× the time to render the full page");
            report.Row("CPU of that push: the controller's side (encode, compress, HTTP) and the receiving Prometheus",
                $"{F(senderCpu / pushed * 1e9, "0")} µs per 1,000 samples ({F(senderCpu / pushSeconds * 100, "0")}% of a core); Prometheus " +
                $"{F(receiverCpu / pushed * 1e9, "0")} µs per 1,000 ({F(receiverCpu / pushSeconds * 100, "0")}%)",
                F(senderCpu / Math.Max(receiverCpu, 1e-9), "0.00") + "× the receiver's CPU");
            report.Line();
            report.Line("A shard of four renders about a quarter of the page: N scrape jobs (or Prometheus servers) split the load; remote " +
                        "write sends the same series as it goes, without one giant scrape.");
            report.Line();
            report.Line("```");
            report.Line("dotnet run -c Release --project bench/Narada.Bench.Fleet -- statistics --write");
            report.Line("```");
            return report;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>A host's series: CPU modes × 8 CPUs, filesystems, network devices, memory and the like.</summary>
    private static IEnumerable<Sample> HostSeries(int host)
    {
        string[] modes = ["user", "system", "idle", "iowait", "irq", "softirq", "steal", "nice"];
        for (int cpu = 0; cpu < 8; cpu++)
            foreach (var mode in modes)
                yield return new Sample("node_cpu_seconds_total", host * 1.5 + cpu)
                { Type = MetricType.Counter, Labels = new Dictionary<string, string> { ["cpu"] = cpu.ToString(System.Globalization.CultureInfo.InvariantCulture), ["mode"] = mode } };
        for (int i = 0; i < SeriesPerHost - 64; i++)
            yield return new Sample($"node_bench_series_{i % 60}", host + i)
            { Labels = new Dictionary<string, string> { ["device"] = $"dev{i / 60}" } };
    }

    /// <summary>Pushes the snapshot in remote-write requests of 2,000 samples, one at a time; CPU of this process (the
    /// controller's side: encoding, compression, HTTP) and of the receiving Prometheus, each in seconds.</summary>
    private static async Task<(double Seconds, int Samples, double SenderCpu, double ReceiverCpu)> PushAsync(List<Sample> samples, string work)
    {
        int port = Narada.Testing.FreePort.Next();
        var config = Path.Combine(work, "prometheus.yml");
        await File.WriteAllTextAsync(config, "global:\n  scrape_interval: 1m\nscrape_configs: []\n");
        using var prometheus = Process.Start(new ProcessStartInfo("prometheus",
            [$"--config.file={config}", $"--storage.tsdb.path={Path.Combine(work, "tsdb")}", $"--web.listen-address=127.0.0.1:{port}",
             "--web.enable-remote-write-receiver", "--log.level=warn"])
        { RedirectStandardError = true, RedirectStandardOutput = true })
            ?? throw new InvalidOperationException("prometheus did not start (apt-get install prometheus)");
        try
        {
            using var http = new HttpClient();
            var url = new Uri($"http://127.0.0.1:{port}/api/v1/write");
            for (int i = 0; i < 100 && !(await ReadyAsync(http, port)); i++)
                await Task.Delay(200);
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            double senderCpu0 = ProcessMeter.CpuSeconds(Environment.ProcessId), receiverCpu0 = ProcessMeter.CpuSeconds(prometheus.Id);
            var clock = Stopwatch.StartNew();
            int sent = 0;
            foreach (var batch in samples.Chunk(2000))
            {
                using var content = new ByteArrayContent(RemoteWriteEncoder.Compress(RemoteWriteEncoder.Encode(batch, now)));
                content.Headers.ContentType = new("application/x-protobuf");
                content.Headers.ContentEncoding.Add("snappy");
                using var response = await http.PostAsync(url, content);
                response.EnsureSuccessStatusCode();
                sent += batch.Length;
            }
            return (clock.Elapsed.TotalSeconds, sent, ProcessMeter.CpuSeconds(Environment.ProcessId) - senderCpu0,
                ProcessMeter.CpuSeconds(prometheus.Id) - receiverCpu0);
        }
        finally
        {
            prometheus.Kill(entireProcessTree: true);
            await prometheus.WaitForExitAsync();
        }
    }

    private static async Task<bool> ReadyAsync(HttpClient http, int port)
    {
        try
        {
            return (await http.GetAsync($"http://127.0.0.1:{port}/-/ready")).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static long Allocated()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
