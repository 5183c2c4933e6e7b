using System.Globalization;
using System.Text.RegularExpressions;
using Narada.Core.Metrics;

namespace Narada.Plugins.System;

/// <summary>Reading the small text files these collectors use: whole lines, split on blanks.</summary>
internal static class KernelText
{
    public static string[] Lines(string path) => File.ReadAllLines(path);

    public static string[] Fields(string line) => line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);

    public static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}

/// <summary><c>system.filefd</c>: <c>/proc/sys/fs/file-nr</c>, as node_exporter's filefd collector names it.</summary>
public sealed class FilefdCollector(SystemPaths? paths = null) : ProcCollector(paths ?? SystemPaths.Default)
{
    public override string Name => "filefd";

    public override string Description => "Open file handles and their limit (/proc/sys/fs/file-nr)";

    internal override void AppendTo(List<Sample> samples)
    {
        var fields = KernelText.Fields(File.ReadAllText(Paths.ProcFile("sys/fs/file-nr")));
        samples.Add(Gauge("node_filefd_allocated", KernelText.Number(fields[0]), "File descriptor statistics: allocated."));
        samples.Add(Gauge("node_filefd_maximum", KernelText.Number(fields[2]), "File descriptor statistics: maximum."));
    }
}

/// <summary><c>system.entropy</c>: the kernel's entropy pool, as node_exporter's entropy collector names it.</summary>
public sealed class EntropyCollector(SystemPaths? paths = null) : ProcCollector(paths ?? SystemPaths.Default)
{
    public override string Name => "entropy";

    public override string Description => "Available entropy and the pool size (/proc/sys/kernel/random)";

    internal override void AppendTo(List<Sample> samples)
    {
        samples.Add(Gauge("node_entropy_available_bits", KernelText.Number(File.ReadAllText(Paths.ProcFile("sys/kernel/random/entropy_avail")).Trim()),
            "Bits of available entropy."));
        samples.Add(Gauge("node_entropy_pool_size_bits", KernelText.Number(File.ReadAllText(Paths.ProcFile("sys/kernel/random/poolsize")).Trim()),
            "Bits of entropy pool."));
    }
}

/// <summary><c>system.vmstat</c>: node_exporter's default fields of <c>/proc/vmstat</c> (oom_kill, pgpg*, pswp*, pg*fault).</summary>
public sealed partial class VmstatCollector(SystemPaths? paths = null) : ProcCollector(paths ?? SystemPaths.Default)
{
    public override string Name => "vmstat";

    public override string Description => "Paging, swapping, faults and OOM kills (/proc/vmstat)";

    internal override void AppendTo(List<Sample> samples)
    {
        foreach (var line in KernelText.Lines(Paths.ProcFile("vmstat")))
        {
            var fields = KernelText.Fields(line);
            if (fields.Length == 2 && Wanted().IsMatch(fields[0]))
                samples.Add(new Sample("node_vmstat_" + fields[0], KernelText.Number(fields[1]))
                { Type = MetricType.Untyped, Help = $"/proc/vmstat information field {fields[0]}." });
        }
    }

    [GeneratedRegex("^(oom_kill|pgpg|pswp|pg.*fault).*")]
    private static partial Regex Wanted();
}

/// <summary><c>system.sockstat</c>: sockets in use by protocol (<c>/proc/net/sockstat</c>, <c>sockstat6</c>), memory in pages and bytes.</summary>
public sealed class SockstatCollector(SystemPaths? paths = null) : ProcCollector(paths ?? SystemPaths.Default)
{
    public override string Name => "sockstat";

    public override string Description => "Sockets in use by protocol (/proc/net/sockstat, /proc/net/sockstat6)";

    internal override void AppendTo(List<Sample> samples)
    {
        Read(Paths.ProcFile("net/sockstat"), samples, ipv6: false);
        var six = Paths.ProcFile("net/sockstat6");
        if (File.Exists(six))
            Read(six, samples, ipv6: true);
    }

    private static void Read(string path, List<Sample> samples, bool ipv6)
    {
        foreach (var line in KernelText.Lines(path))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
                continue;
            var protocol = line[..colon];
            var fields = KernelText.Fields(line[(colon + 1)..]);
            if (protocol == "sockets")
            {
                if (!ipv6 && fields is ["used", var used, ..])
                    samples.Add(Gauge("node_sockstat_sockets_used", KernelText.Number(used), "Number of IPv4 sockets in use."));
                continue;
            }
            for (int i = 0; i + 1 < fields.Length; i += 2)
            {
                var value = KernelText.Number(fields[i + 1]);
                samples.Add(Gauge($"node_sockstat_{protocol}_{fields[i]}", value, $"Number of {protocol} sockets in state {fields[i]}."));
                if (fields[i] == "mem")
                    samples.Add(Gauge($"node_sockstat_{protocol}_mem_bytes", value * Environment.SystemPageSize,
                        $"Number of {protocol} sockets in state mem_bytes."));
            }
        }
    }
}

/// <summary><c>system.netstat</c>: node_exporter's default fields of <c>/proc/net/netstat</c>, <c>snmp</c> and <c>snmp6</c>.</summary>
public sealed partial class NetstatCollector(SystemPaths? paths = null) : ProcCollector(paths ?? SystemPaths.Default)
{
    public override string Name => "netstat";

    public override string Description => "IP, TCP, UDP and ICMP counters (/proc/net/netstat, snmp, snmp6)";

    internal override void AppendTo(List<Sample> samples)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in new[] { "net/netstat", "net/snmp" })
        {
            // Pairs of lines: "Tcp: RtoAlgorithm RtoMin ..." then "Tcp: 1 200 ...".
            var lines = KernelText.Lines(Paths.ProcFile(file));
            for (int i = 0; i + 1 < lines.Length; i += 2)
            {
                var names = KernelText.Fields(lines[i]);
                var numbers = KernelText.Fields(lines[i + 1]);
                var protocol = names[0].TrimEnd(':');
                for (int j = 1; j < names.Length && j < numbers.Length; j++)
                    values[$"{protocol}_{names[j]}"] = numbers[j];
            }
        }
        var snmp6 = Paths.ProcFile("net/snmp6");
        if (File.Exists(snmp6))
            foreach (var line in KernelText.Lines(snmp6))
                if (KernelText.Fields(line) is [var name, var value] && ProtocolPrefix().Match(name) is { Success: true } prefix)
                    values[$"{prefix.Value}_{name[prefix.Length..]}"] = value;
        foreach (var (key, value) in values)
            if (Wanted().IsMatch(key))
                samples.Add(new Sample("node_netstat_" + key, KernelText.Number(value))
                { Type = MetricType.Untyped, Help = $"Statistic {key.Replace("_", "", StringComparison.Ordinal)}." });
    }

    // node_exporter 1.5's --collector.netstat.fields default.
    [GeneratedRegex("^(.*_(InErrors|InErrs)|Ip_Forwarding|Ip(6|Ext)_(InOctets|OutOctets)|Icmp6?_(InMsgs|OutMsgs)|TcpExt_(Listen.*|Syncookies.*|TCPSynRetrans|TCPTimeouts)|Tcp_(ActiveOpens|InSegs|OutSegs|OutRsts|PassiveOpens|RetransSegs|CurrEstab)|Udp6?_(InDatagrams|OutDatagrams|NoPorts|RcvbufErrors|SndbufErrors))$")]
    private static partial Regex Wanted();

    [GeneratedRegex("^(Ip6|Icmp6|Udp6|UdpLite6)")]
    private static partial Regex ProtocolPrefix();
}

/// <summary><c>system.pressure</c>: pressure stall information (<c>/proc/pressure</c>), total stall times in seconds.</summary>
public sealed class PressureCollector(SystemPaths? paths = null) : ProcCollector(paths ?? SystemPaths.Default)
{
    private static readonly (string Resource, string Waiting, string? Stalled)[] Resources =
    [
        ("cpu", "Total time in seconds that processes have waited for CPU time", null),
        ("io", "Total time in seconds that processes have waited due to IO congestion", "Total time in seconds no process could make progress due to IO congestion"),
        ("memory", "Total time in seconds that processes have waited for memory", "Total time in seconds no process could make progress due to memory congestion"),
    ];

    public override string Name => "pressure";

    public override string Description => "Pressure stall information for CPU, IO and memory (/proc/pressure)";

    internal override void AppendTo(List<Sample> samples)
    {
        foreach (var (resource, waiting, stalled) in Resources)
        {
            foreach (var line in KernelText.Lines(Paths.ProcFile($"pressure/{resource}")))
            {
                var fields = KernelText.Fields(line);
                var total = fields.FirstOrDefault(f => f.StartsWith("total=", StringComparison.Ordinal));
                if (total is null)
                    continue;
                var seconds = KernelText.Number(total["total=".Length..]) / 1e6;
                if (fields[0] == "some")
                    samples.Add(Counter($"node_pressure_{resource}_waiting_seconds_total", seconds, waiting));
                else if (fields[0] == "full" && stalled is not null)
                    samples.Add(Counter($"node_pressure_{resource}_stalled_seconds_total", seconds, stalled));
            }
        }
    }
}
