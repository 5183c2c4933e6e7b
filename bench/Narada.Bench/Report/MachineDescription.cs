using System.Runtime.InteropServices;

namespace Narada.Bench.Report;

/// <summary>What the figures were measured on, for the report: cores, kernel, CPU, load, runtime.</summary>
public static class MachineDescription
{
    public static string Describe()
    {
        string kernel = ReadOr("/proc/sys/kernel/osrelease", "?").Trim();
        string cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))
                ?.Split(':', 2)[1].Trim() ?? "?"
            : "?";
        string load = string.Join(' ', ReadOr("/proc/loadavg", "? ? ?").Split(' ').Take(3));
        return $"nproc {Environment.ProcessorCount}, kernel {kernel}, {cpu}, {RuntimeInformation.FrameworkDescription}, " +
               $"load average at start {load} (the machine is shared)";
    }

    private static string ReadOr(string path, string fallback) => File.Exists(path) ? File.ReadAllText(path) : fallback;
}
