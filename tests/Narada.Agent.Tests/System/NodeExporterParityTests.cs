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
        ("netclass", () => new NetClassCollector(),
        [
            "node_network_info", "node_network_mtu_bytes", "node_network_iface_id", "node_network_iface_link", "node_network_iface_link_mode",
            "node_network_flags", "node_network_protocol_type", "node_network_address_assign_type", "node_network_name_assign_type",
            "node_network_device_id", "node_network_net_dev_group", "node_network_transmit_queue_length", "node_network_speed_bytes",
        ]),
        ("arp", () => new ArpCollector(), []),
        ("softnet", () => new SoftnetCollector(), []),
        ("time", () => new TimeCollector(),
            ["node_time_zone_offset_seconds", "node_time_clocksource_available_info", "node_time_clocksource_current_info"]),
        ("timex", () => new TimexCollector(), ["node_timex_tick_seconds", "node_timex_tai_offset_seconds"]),
        // No cpufreq in most VMs (none here): then both sides report nothing, and the fixture tests carry it.
        ("cpufreq", () => new CpuFreqCollector(),
            ["node_cpu_frequency_max_hertz", "node_cpu_frequency_min_hertz", "node_cpu_scaling_frequency_max_hertz", "node_cpu_scaling_frequency_min_hertz"]),
    ];

    /// <summary>Series the agent adds that node_exporter does not have (or has in a collector not compared here).</summary>
    private static readonly string[] OursOnly =
    [
        "node_uptime_seconds", // uptime without the subtraction in every query
    ];

    [Fact]
    public async Task Each_compared_collector_exports_node_exporters_names_types_and_values()
    {
        var port = FreePort.Next();
        await using var exporter = ExternalProcess.Start(RequiredTool.Path("prometheus-node-exporter", "prometheus-node-exporter"),
            [$"--web.listen-address=127.0.0.1:{port}", "--collector.disable-defaults", .. Compared.Select(c => $"--collector.{c.NodeExporter}")]);
        await GearmandServer.WaitForListenerAsync(port, () => exporter.HasExited ? $"node_exporter exited: {exporter.Stderr}" : null, TimeSpan.FromSeconds(30));
        using var http = new HttpClient();
        var constants = Compared.SelectMany(c => c.Constants).ToHashSet();

        // Names and types must agree on the first read. Values that move (a test beside this one opening sockets or
        // mapping shared memory) are read as node_exporter, agent, node_exporter, and ours must lie between the two
        // reads give or take the tolerance; a value that misses is read again, up to five rounds, before it counts.
        var valueProblems = new List<string>();
        for (var round = 0; round < 5; round++)
        {
            var before = await ReadNodeExporterAsync(http, port);
            var ours = new List<Sample>();
            foreach (var (_, agent, _) in Compared)
                ours.AddRange(await agent().CollectAsync());
            var after = await ReadNodeExporterAsync(http, port);

            if (round == 0)
            {
                var problems = new List<string>();
                var names = before.Select(s => s.Name).ToHashSet();
                var ourNames = ours.Select(s => s.Name).ToHashSet();
                foreach (var missing in names.Except(ourNames).Order())
                    problems.Add($"missing: {missing}");
                foreach (var extra in ourNames.Except(names).Except(OursOnly).Order())
                    problems.Add($"not in node_exporter: {extra}");
                foreach (var their in before)
                {
                    var our = ours.FirstOrDefault(s => s.Name == their.Name && Same(s.Labels, their.Labels));
                    if (our is not null && our.Type != their.Type)
                        problems.Add($"{their.Name}: type {our.Type}, node_exporter says {their.Type}");
                }
                Assert.True(problems.Count == 0, string.Join("\n", problems));
            }

            valueProblems.Clear();
            foreach (var first in before)
            {
                var our = ours.FirstOrDefault(s => s.Name == first.Name && Same(s.Labels, first.Labels));
                var second = after.FirstOrDefault(s => s.Name == first.Name && Same(s.Labels, first.Labels));
                if (our is null || second is null)
                    continue;
                var agrees = constants.Contains(first.Name)
                    ? our.Value == first.Value || our.Value == second.Value
                    : Between(first.Name, our.Value, first.Value, second.Value);
                if (!agrees)
                    valueProblems.Add($"{first.Name}{Labels(first)}: {our.Value}, node_exporter read {first.Value} then {second.Value}");
            }
            if (valueProblems.Count == 0)
                break;
        }
        Assert.True(valueProblems.Count == 0, string.Join("\n", valueProblems));
    }

    private static async Task<List<Sample>> ReadNodeExporterAsync(HttpClient http, int port) =>
        PrometheusTextParser.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/metrics"))
            .Where(s => s.Name.StartsWith("node_", StringComparison.Ordinal) && !s.Name.StartsWith("node_scrape_", StringComparison.Ordinal)
                        && s.Name != "node_exporter_build_info")
            .ToList();

    private static string Labels(Sample s) =>
        s.Labels.Count == 0 ? "" : "{" + string.Join(",", s.Labels.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}=\"{kv.Value}\"")) + "}";

    private static bool Same(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);

    /// <summary>Ours was read between node_exporter's two reads: it lies between them, give or take 10 % or 200
    /// (counters that move fast, sockets opening and closing, entropy being drawn), or 200 pages for amounts of memory.</summary>
    private static bool Between(string name, double ours, double first, double second)
    {
        var low = Math.Min(first, second);
        var high = Math.Max(first, second);
        var slack = Math.Max(name.EndsWith("_bytes", StringComparison.Ordinal) ? 200.0 * Environment.SystemPageSize : 200, Math.Abs(high) * 0.10);
        return ours >= low - slack && ours <= high + slack;
    }
}
