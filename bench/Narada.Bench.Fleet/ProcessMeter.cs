using System.Globalization;
using Narada.Testing;

namespace Narada.Bench.Fleet;

/// <summary>Resident memory and CPU time of a process, read from /proc as <c>ps</c> and <c>top</c> do.</summary>
internal static class ProcessMeter
{
    /// <summary>VmRSS in bytes.</summary>
    public static long RssBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
        throw new InvalidOperationException($"no VmRSS for pid {pid}");
    }

    /// <summary>utime + stime in seconds; with <paramref name="reapedChildren"/>, plus the children it has waited for (plugins).</summary>
    public static double CpuSeconds(int pid, bool reapedChildren = false) => ProcStat.CpuSeconds(pid, reapedChildren);

    /// <summary>The 1-minute load average: on a shared machine, how much else was running.</summary>
    public static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    public static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture);
}
