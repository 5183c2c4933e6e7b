using System.Globalization;

namespace Narada.JobServer;

/// <summary>
/// How many connections the process's open-file limit leaves room for. Every connection is a descriptor; when they run
/// out, it is not only accept that fails but whatever the server opens next: an assembly the runtime loads on first use,
/// which then stays unloadable, so one flood could leave the server refusing every connection until restarted. The
/// server keeps <see cref="Reserve"/> descriptors free for itself and refuses connections beyond the rest.
/// </summary>
internal static class DescriptorBudget
{
    /// <summary>Kept free for what the server opens besides connections: metrics scrapes, the queue's files,
    /// assemblies loaded on first use.</summary>
    public const int Reserve = 64;

    /// <summary>The open-file limit (soft, which the runtime already raised to the hard one; or <paramref name="cap"/>
    /// when that is lower) and the connections it leaves room for beside what is open now; null where that cannot be
    /// read (not Linux).</summary>
    public static (long Limit, int Connections)? Measure(int? cap)
    {
        if (!OperatingSystem.IsLinux())
            return null;
        try
        {
            long limit = Math.Min(OpenFileLimit(File.ReadAllLines("/proc/self/limits")), cap ?? long.MaxValue);
            int open = Directory.GetFiles("/proc/self/fd").Length;
            return (limit, (int)Math.Clamp(limit - open - Reserve, 0, int.MaxValue));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    /// <summary>The soft limit in the "Max open files" row of /proc/self/limits ("unlimited" as the largest number).</summary>
    internal static long OpenFileLimit(IEnumerable<string> limits)
    {
        const string Row = "Max open files";
        var row = limits.FirstOrDefault(l => l.StartsWith(Row, StringComparison.Ordinal))
            ?? throw new FormatException($"no '{Row}' row");
        var soft = row[Row.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        return soft == "unlimited" ? long.MaxValue : long.Parse(soft, CultureInfo.InvariantCulture);
    }
}
