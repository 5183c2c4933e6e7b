using System.Globalization;

namespace Narada.Testing;

/// <summary>A process's CPU time from /proc/&lt;pid&gt;/stat, as <c>ps</c> and <c>top</c> read it (Linux).</summary>
public static class ProcStat
{
    private const double TicksPerSecond = 100; // USER_HZ is 100 on every Linux ABI .NET runs on

    /// <summary>utime + stime in seconds; with <paramref name="reapedChildren"/>, plus the children it has waited for.</summary>
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
}
