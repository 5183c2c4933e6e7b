using System.Globalization;
using System.Text.RegularExpressions;

namespace Narada.Testing;

/// <summary>What <c>ss</c> (iproute2) says about the TCP timers of established connections.</summary>
public static partial class SocketTimers
{
    /// <summary>The established connections whose local port is <paramref name="localPort"/>, one <c>ss -tnoH</c> line each.</summary>
    public static async Task<string[]> LinesAsync(int localPort)
    {
        var ss = await ExternalProcess.RunAsync(RequiredTool.Path("ss", "iproute2"),
            ["-tnoH", "state", "established", $"( sport = :{localPort} )"]);
        if (ss.ExitCode != 0)
            throw new InvalidOperationException($"ss failed: {ss}");
        return ss.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Seconds until the next keepalive probe in an <c>ss -o</c> line (<c>timer:(keepalive,59sec,0)</c> or
    /// <c>(keepalive,1min,0)</c>); null when the connection has no keepalive timer.</summary>
    public static int? KeepAliveDueSeconds(string line)
    {
        var due = KeepAliveTimer().Match(line);
        if (!due.Success)
            return null;
        return (due.Groups[1].Success ? 60 * int.Parse(due.Groups[1].Value, CultureInfo.InvariantCulture) : 0)
               + (due.Groups[2].Success ? int.Parse(due.Groups[2].Value, CultureInfo.InvariantCulture) : 0);
    }

    [GeneratedRegex(@"timer:\(keepalive,(?:(\d+)min)?(?:(\d+)sec)?(?:\d+(?:\.\d+)?ms)?,")]
    private static partial Regex KeepAliveTimer();
}
