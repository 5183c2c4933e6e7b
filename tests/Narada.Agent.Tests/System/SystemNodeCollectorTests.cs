using CsCheck;
using Narada.Core.Metrics;
using Narada.Plugins.System;

namespace Narada.Agent.Tests.SystemPlugin;

public sealed class SystemNodeCollectorTests
{
    private static readonly string[] Groups = ["cpu", "memory", "load", "filesystem", "disk", "network", "uptime", "netclass", "arp", "softnet",
        "time", "timex", "cpufreq"];

    // The groups whose files the random-bytes test writes.
    private static readonly string[] FuzzedGroups = ["cpu", "memory", "load", "filesystem", "disk", "network", "uptime"];

    [Fact]
    public async Task Node_reports_every_group_once_with_scrape_success()
    {
        var samples = await new SystemNodeCollector().CollectAsync();
        foreach (var group in Groups)
            Assert.Equal(1, samples.Value("node_scrape_collector_success", ("collector", group)));
        foreach (var name in new[] { "node_cpu_seconds_total", "node_memory_MemTotal_bytes", "node_load1", "node_filesystem_size_bytes",
                     "node_disk_reads_completed_total", "node_network_receive_bytes_total", "node_time_seconds", "node_uptime_seconds",
                     "node_network_info", "node_softnet_processed_total", "node_time_zone_offset_seconds", "node_timex_sync_status" })
            Assert.Contains(samples, s => s.Name == name);
        Assert.Single(samples.Named("node_boot_time_seconds"));
        Assert.Single(samples.Named("node_time_seconds"));
        Assert.Equal(samples.Count, samples.Select(s => s.SeriesKey()).Distinct().Count());
    }

    [Fact]
    public async Task Counters_never_go_backwards_between_two_collections()
    {
        var collector = new SystemNodeCollector();
        var first = (await collector.CollectAsync()).Where(s => s.Type == MetricType.Counter).ToDictionary(s => s.SeriesKey(), s => s.Value);
        var second = (await collector.CollectAsync()).Where(s => s.Type == MetricType.Counter).ToList();
        Assert.NotEmpty(second);
        foreach (var sample in second)
            if (first.TryGetValue(sample.SeriesKey(), out var earlier))
                Assert.True(sample.Value >= earlier, $"{sample.SeriesKey()} went from {earlier} to {sample.Value}");
    }

    [Fact]
    public async Task A_missing_source_fails_only_its_own_group()
    {
        using var fixture = new ProcFixture()
            .Proc("stat", "cpu0 1 2 3 4 5 6 7 8\nbtime 1700000000\n")
            .Proc("loadavg", "0.1 0.2 0.3 1/2 3\n");
        var samples = await new SystemNodeCollector(fixture.Paths).CollectAsync();
        Assert.Equal(1, samples.Value("node_scrape_collector_success", ("collector", "cpu")));
        Assert.Equal(1, samples.Value("node_scrape_collector_success", ("collector", "load")));
        Assert.Equal(0, samples.Value("node_scrape_collector_success", ("collector", "memory")));
        Assert.Equal(0, samples.Value("node_scrape_collector_success", ("collector", "network")));
        Assert.Equal(0.2, samples.Value("node_load5"));
    }

    [Fact]
    public async Task No_system_files_at_all_is_a_typed_error()
    {
        // /etc too: os-release alone would still make a collection (the os group). The clock groups (time, timex)
        // still answer, but they alone do not make a collection.
        const string Missing = "/nonexistent-for-narada-tests";
        var paths = new SystemPaths { Proc = Missing + "/proc", Sys = Missing + "/sys", Etc = Missing + "/etc", Root = Missing };
        await Assert.ThrowsAsync<CollectorSourceException>(async () => await new SystemNodeCollector(paths).CollectAsync());
    }

    [Fact]
    public async Task Random_bytes_in_every_kernel_file_never_throw()
    {
        using var fixture = new ProcFixture();
        var collector = new SystemNodeCollector(fixture.Paths);
        string[] files = ["stat", "meminfo", "loadavg", "diskstats", "net/dev", "uptime", "self/mounts"];
        // Bytes biased toward the characters the parsers care about, so lines get past the first checks.
        var gen = Gen.OneOf(Gen.Byte, Gen.OneOf("0123456789 :\n\tkBcpu()-|"u8.ToArray())).Array[0, 400];
        await gen.Array[files.Length].SampleAsync(async contents =>
        {
            for (var i = 0; i < files.Length; i++)
                fixture.ProcBytes(files[i], contents[i]);
            var samples = await collector.CollectAsync();
            Assert.All(FuzzedGroups, g => Assert.Equal(1, samples.Value("node_scrape_collector_success", ("collector", g))));
        }, iter: 60, threads: 1);
    }

    [Fact]
    public async Task One_collector_serves_concurrent_collections()
    {
        var collector = new SystemNodeCollector();
        var expected = (await collector.CollectAsync()).Where(s => s.Name.StartsWith("node_network_", StringComparison.Ordinal))
            .Select(s => s.SeriesKey()).Order().ToList();
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var keys = new List<List<string>>();
            for (var i = 0; i < 10; i++)
                keys.Add((await collector.CollectAsync()).Where(s => s.Name.StartsWith("node_network_", StringComparison.Ordinal))
                    .Select(s => s.SeriesKey()).Order().ToList());
            return keys;
        })));
        Assert.All(results.SelectMany(r => r), keys => Assert.Equal(expected, keys));
    }

    [Fact]
    public async Task A_missing_source_fails_through_the_returned_task_not_the_call()
    {
        using var fixture = new ProcFixture();
        var pending = new LoadCollector(fixture.Paths).CollectAsync();
        await Assert.ThrowsAsync<CollectorSourceException>(async () => await pending);
    }

    [Fact]
    public async Task Cancellation_is_honoured_before_reading()
    {
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await new SystemNodeCollector().CollectAsync(new CancellationToken(canceled: true)));
    }
}
