using System.Globalization;

namespace Narada.Testing;

/// <summary>A process's CPU time from /proc/&lt;pid&gt;/stat, as <c>ps</c> and <c>top</c> read it (Linux).</summary>
public static class ProcStat
{
    private const double TicksPerSecond = 100; // USER_HZ is 100 on every Linux ABI .NET runs on

    /// <summary>utime + stime in seconds; with <paramref name="reapedChildren"/>, plus the children it has waited for.</summary>
    public static double CpuSeconds(int pid, bool reapedChildren = false)
    {
        var fields = Fields(pid);
        long utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        long stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        long children = reapedChildren
            ? long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)
            : 0;
        return (utime + stime + children) / TicksPerSecond;
    }

    /// <summary>True while the process exists and is not a zombie waiting to be reaped.</summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            return Fields(pid)[0] != "Z";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // gone (ENOENT or ESRCH while reading)
        }
    }

    /// <summary>The id of the session the process belongs to (its own pid when it leads one).</summary>
    public static int SessionId(int pid) => int.Parse(Fields(pid)[3], CultureInfo.InvariantCulture);

    // The fields after the command name, which may itself hold spaces and parentheses: state, ppid, pgrp, session, ...
    private static string[] Fields(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }
}
