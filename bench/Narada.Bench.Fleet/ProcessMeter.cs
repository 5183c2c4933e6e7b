using System.Globalization;

namespace Narada.Bench.Fleet;

/// <summary>Resident memory and CPU time of a process, read from /proc as <c>ps</c> and <c>top</c> do.</summary>
internal static class ProcessMeter
{
    private static readonly double TicksPerSecond = 100; // USER_HZ is 100 on every Linux ABI .NET runs on

    /// <summary>VmRSS in bytes.</summary>
    public static long RssBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
        throw new InvalidOperationException($"no VmRSS for pid {pid}");
    }

    /// <summary>utime + stime in seconds; with <paramref name="reapedChildren"/>, plus the children it has waited for (plugins).</summary>
    public static double CpuSeconds(int pid, bool reapedChildren = false)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name, which may itself hold spaces and parentheses.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        long stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        long children = reapedChildren
            ? long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)
            : 0;
        return (utime + stime + children) / TicksPerSecond;
    }

    /// <summary>The 1-minute load average: on a shared machine, how much else was running.</summary>
    public static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    public static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture);
}
