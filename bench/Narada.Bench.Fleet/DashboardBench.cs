using System.Diagnostics;
using Narada.Controller;
using Narada.Core.Formats;
using static Narada.Bench.Fleet.BenchReport;

namespace Narada.Bench.Fleet;

/// <summary>
/// <c>dashboard</c>: how long the controller takes to answer the dashboard's overview and its checks list for 10,000
/// hosts × 10 checks (2 % of them failing), side by side with <c>/api/checks</c> (the same state as JSON) in the same
/// run: median and 95th percentile of 30 requests each over loopback, after 5 to warm up.
/// </summary>
internal static class DashboardBench
{
    private const int Hosts = 10_000;
    private const int ChecksPerHost = 10;
    private const int Rounds = 30;

    public static async Task<BenchReport> RunAsync()
    {
        var work = Directory.CreateTempSubdirectory("narada-bench-dashboard-").FullName;
        try
        {
            await using var controller = await RenderingController.StartAsync(work);
            var now = DateTimeOffset.UtcNow;
            var facts = new Dictionary<string, object?> { ["os"] = "debian" };
            for (int h = 0; h < Hosts; h++)
            {
                var host = $"host{h:00000}";
                controller.Hosts.Heartbeat(host, ["fleet"], ["nagios.check_dummy"], facts, "bench", TimeSpan.FromSeconds(30), now);
                for (int c = 0; c < ChecksPerHost; c++)
                {
                    var status = (h * ChecksPerHost + c) % 50 == 0 ? CheckStatus.Critical : CheckStatus.Ok;
                    // As passive results: the sweep keeps checks without a definition only when they were pushed.
                    controller.Checks.Record($"check{c}", host, 1, status, $"{status} - output of check{c} on {host}", now.AddSeconds(-c),
                        e => e.Plugin = "passive");
                }
            }
            using var http = new HttpClient { BaseAddress = controller.HttpAddress };
            var rows = new List<(string Path, double Median, double P95, long Bytes)>();
            foreach (var path in new[] { "/", "/checks?state=CRITICAL", "/checks", "/api/checks" })
            {
                long bytes = 0;
                for (int i = 0; i < 5; i++)
                    bytes = (await http.GetByteArrayAsync(path)).LongLength;
                var times = new List<double>();
                for (int i = 0; i < Rounds; i++)
                {
                    var clock = Stopwatch.StartNew();
                    bytes = (await http.GetByteArrayAsync(path)).LongLength;
                    times.Add(clock.Elapsed.TotalMilliseconds);
                }
                times.Sort();
                rows.Add((path, Median(times), times[(int)(times.Count * 0.95) - 1], bytes));
                Console.Error.WriteLine($"  {path}: median {F(Median(times))} ms, p95 {F(times[(int)(times.Count * 0.95) - 1])} ms, {bytes / 1024} KiB");
            }
            var report = new BenchReport("Controller", "dashboard");
            report.Line($"The controller's HTTP answers for {Hosts:N0} hosts × {ChecksPerHost} checks (2 % CRITICAL), {Rounds} requests " +
                        "each over loopback after 5 to warm up, one at a time, in one run; `/api/checks` is the anchor (the same state as JSON).");
            report.Line($"Machine: {Machine()}.");
            report.Line();
            report.Header("page", "median ms", "p95 ms", "ratio vs /api/checks (median)", "size");
            var anchor = rows.Single(r => r.Path == "/api/checks").Median;
            foreach (var (path, median, p95, bytes) in rows)
                report.Row($"`{path}`", F(median), F(p95), F(median / anchor, "0.00") + "×", $"{bytes / 1024:N0} KiB");
            report.Line();
            report.Line("Target (issue #20): the overview under 100 ms on the server. `/checks` lists all 100,000 rows in one page.");
            report.Line();
            report.Line("```");
            report.Line("dotnet run -c Release --project bench/Narada.Bench.Fleet -- dashboard --write");
            report.Line("```");
            return report;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
