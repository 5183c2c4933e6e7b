using System.Globalization;
using Narada.Testing;

namespace Narada.Agent.Tests.SystemPlugin;

/// <summary>Runs the real system tools whose answers the collectors must agree with.</summary>
internal static class KernelTools
{
    public static async Task<string> RunAsync(string tool, string debianPackage, params string[] args)
    {
        var result = await ExternalProcess.RunAsync(RequiredTool.Path(tool, debianPackage), args, timeout: TimeSpan.FromSeconds(10));
        Assert.True(result.ExitCode == 0, $"{tool} failed: {result}");
        return result.Stdout.Trim();
    }

    /// <summary>USER_HZ as getconf reports it, the unit of /proc/stat CPU times.</summary>
    public static async Task<double> ClockTicksAsync() =>
        double.Parse(await RunAsync("getconf", "libc-bin", "CLK_TCK"), CultureInfo.InvariantCulture);
}
