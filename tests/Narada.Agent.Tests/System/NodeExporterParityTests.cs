using Narada.Core.Formats;
using Narada.Core.Metrics;
using Narada.Plugins.System;
using Narada.Testing;

namespace Narada.Agent.Tests.SystemPlugin;

/// <summary>
/// The built-in collectors side by side with Debian's real node_exporter, read at the same moment: for each collector
/// in <see cref="Compared"/>, the same series names with the same types, and values that agree (equal for constants,
/// within a stated tolerance for what moves between the two reads).
/// </summary>
[Trait("Category", "Peers")]
public sealed class NodeExporterParityTests
{
    /// <summary>node_exporter collector name → the agent's collector, and which series are constants on a quiet machine.</summary>
    private static readonly (string NodeExporter, Func<ProcCollector> Agent, string[] Constants)[] Compared =
    [
        ("filefd", () => new FilefdCollector(), ["node_filefd_maximum"]),
        ("entropy", () => new EntropyCollector(), ["node_entropy_pool_size_bits"]),
        ("vmstat", () => new VmstatCollector(), []),
        ("sockstat", () => new SockstatCollector(), []),
        ("netstat", () => new NetstatCollector(), ["node_netstat_Ip_Forwarding"]),
        ("pressure", () => new PressureCollector(), []),
        ("loadavg", () => new LoadCollector(), []),
        ("meminfo", () => new MemoryCollector(), ["node_memory_MemTotal_bytes", "node_memory_SwapTotal_bytes"]),
        ("cpu", () => new CpuCollector(), []),
        ("diskstats", () => new DiskStatsCollector(), ["node_disk_info"]),
        ("filesystem", () => new FilesystemCollector(), ["node_filesystem_size_bytes", "node_filesystem_files"]),
        ("netdev", () => new NetworkCollector(), []),
        ("stat", () => new UptimeCollector(), ["node_boot_time_seconds"]),
        ("uname", () => new UnameCollector(), ["node_uname_info"]),
        ("os", () => new OsCollector(), ["node_os_info", "node_os_version"]),
    ];

    /// <summary>Series the agent adds that node_exporter does not have (or has in a collector not compared here).</summary>
    private static readonly string[] OursOnly =
    [
        "node_uptime_seconds", // uptime without the subtraction in every query
        "node_time_seconds",   // node_exporter's time collector, not compared yet (it has clocksource and zone series too)
    ];

    [Fact]
    public async Task Each_compared_collector_exports_node_exporters_names_types_and_values()
    {
        var port = FreePort.Next();
        await using var exporter = ExternalProcess.Start(RequiredTool.Path("prometheus-node-exporter", "prometheus-node-exporter"),
            [$"--web.listen-address=127.0.0.1:{port}", "--collector.disable-defaults", .. Compared.Select(c => $"--collector.{c.NodeExporter}")]);
        await GearmandServer.WaitForListenerAsync(port, () => exporter.HasExited ? $"node_exporter exited: {exporter.Stderr}" : null, TimeSpan.FromSeconds(30));
        using var http = new HttpClient();

        var theirs = PrometheusTextParser.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/metrics"))
            .Where(s => s.Name.StartsWith("node_", StringComparison.Ordinal) && !s.Name.StartsWith("node_scrape_", StringComparison.Ordinal)
                        && s.Name != "node_exporter_build_info")
            .ToList();
        var ours = new List<Sample>();
        foreach (var (_, agent, _) in Compared)
            ours.AddRange(await agent().CollectAsync());

        var problems = new List<string>();
        var names = theirs.Select(s => s.Name).ToHashSet();
        var ourNames = ours.Select(s => s.Name).ToHashSet();
        foreach (var missing in names.Except(ourNames).Order())
            problems.Add($"missing: {missing}");
        foreach (var extra in ourNames.Except(names).Except(OursOnly).Order())
            problems.Add($"not in node_exporter: {extra}");
        var constants = Compared.SelectMany(c => c.Constants).ToHashSet();
        foreach (var their in theirs)
        {
            var our = ours.FirstOrDefault(s => s.Name == their.Name && Same(s.Labels, their.Labels));
            if (our is null)
                continue;
            if (our.Type != their.Type)
                problems.Add($"{their.Name}: type {our.Type}, node_exporter says {their.Type}");
            if (constants.Contains(their.Name) ? our.Value != their.Value : !Close(their.Name, our.Value, their.Value))
                problems.Add($"{their.Name}: {our.Value}, node_exporter read {their.Value}");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static bool Same(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);

    /// <summary>Read a moment apart on a machine running tests: within 10 % or 200 of each other (counters that move
    /// fast, sockets opening and closing, entropy being drawn); amounts of memory in bytes within 200 pages.</summary>
    private static bool Close(string name, double ours, double theirs) =>
        Math.Abs(ours - theirs) <= Math.Max(name.EndsWith("_bytes", StringComparison.Ordinal) ? 200.0 * Environment.SystemPageSize : 200, Math.Abs(theirs) * 0.10);
}
