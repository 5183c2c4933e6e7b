using System.Diagnostics;

namespace Narada.JobServer.Engine;

/// <summary>
/// The time for the queue-wait and run-time histograms. While a thread handles one read's packets (or an event loop's
/// turn) every job it touches gets the same timestamp, read once: the histograms' smallest bucket is 100 µs, far
/// longer than a turn, and the clock read was a few per cent of the server's time per job.
/// </summary>
internal static class TurnClock
{
    [ThreadStatic] private static long t_now;

    public static long Now => t_now != 0 ? t_now : Stopwatch.GetTimestamp();

    public static void Start() => t_now = Stopwatch.GetTimestamp();

    public static void Stop() => t_now = 0;
}
