using System.Runtime.InteropServices;
using Narada.Core.Metrics;
using Narada.Plugins.System.Native;

namespace Narada.Plugins.System;

/// <summary>
/// <c>system.timex</c>: the kernel clock's discipline as adjtimex(2) reports it with modes 0 (read-only, no privilege),
/// in node_exporter's timex names and units: offset and PPS jitter in seconds (nanoseconds when STA_NANO is set,
/// microseconds otherwise), scaled-ppm frequencies as a ratio or in hertz, the PPS counters as counters.
/// </summary>
/// <remarks>Nothing is read from files: <paramref name="paths"/> is taken only for the shape all collectors share.</remarks>
public sealed class TimexCollector(SystemPaths? paths = null) : ProcCollector(paths ?? SystemPaths.Default)
{
    private const double Microseconds = 1e6;
    private const double Nanoseconds = 1e9;

    // freq, ppsfreq and stabil are parts per million with a 16-bit binary fraction.
    private const double ScaledPpm = 65536 * 1e6;

    public override string Name => "timex";

    public override string Description => "Kernel clock discipline: offset, frequency, errors, sync status, PPS (adjtimex)";

    private protected override int ExpectedSamples => 17;

    internal override void AppendTo(List<Sample> samples)
    {
        var timex = default(TimexBuffer);
        var state = LibC.AdjTimex(ref timex);
        if (state < 0)
            throw new IOException($"adjtimex failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        Append(samples, state, timex);
    }

    /// <summary>The samples for one adjtimex answer (<paramref name="state"/> is its return value).</summary>
    internal static void Append(List<Sample> samples, int state, in TimexBuffer timex)
    {
        var divisor = (timex.Status & TimexBuffer.StatusNano) != 0 ? Nanoseconds : Microseconds;
        samples.Add(Gauge("node_timex_offset_seconds", timex.Offset / divisor, "Time offset in between local system and reference clock."));
        samples.Add(Gauge("node_timex_frequency_adjustment_ratio", 1 + timex.Frequency / ScaledPpm, "Local clock frequency adjustment."));
        samples.Add(Gauge("node_timex_maxerror_seconds", timex.MaxError / Microseconds, "Maximum error in seconds."));
        samples.Add(Gauge("node_timex_estimated_error_seconds", timex.EstimatedError / Microseconds, "Estimated error in seconds."));
        samples.Add(Gauge("node_timex_status", timex.Status, "Value of the status array bits."));
        samples.Add(Gauge("node_timex_loop_time_constant", timex.Constant, "Phase-locked loop time constant."));
        samples.Add(Gauge("node_timex_tick_seconds", timex.Tick / Microseconds, "Seconds between clock ticks."));
        samples.Add(Gauge("node_timex_pps_frequency_hertz", timex.PpsFrequency / ScaledPpm, "Pulse per second frequency."));
        samples.Add(Gauge("node_timex_pps_jitter_seconds", timex.Jitter / divisor, "Pulse per second jitter."));
        // node_exporter's name; the kernel's shift is the PPS interval as a power of two seconds, reported as is.
        samples.Add(Gauge("node_timex_pps_shift_seconds", timex.Shift, "Pulse per second interval duration."));
        samples.Add(Gauge("node_timex_pps_stability_hertz", timex.Stability / ScaledPpm,
            "Pulse per second stability, average of recent frequency changes."));
        samples.Add(Counter("node_timex_pps_jitter_total", timex.JitterCount, "Pulse per second count of jitter limit exceeded events."));
        samples.Add(Counter("node_timex_pps_calibration_total", timex.CalibrationCount, "Pulse per second count of calibration intervals."));
        samples.Add(Counter("node_timex_pps_error_total", timex.ErrorCount, "Pulse per second count of calibration errors."));
        samples.Add(Counter("node_timex_pps_stability_exceeded_total", timex.StabilityCount,
            "Pulse per second count of stability limit exceeded events."));
        samples.Add(Gauge("node_timex_tai_offset_seconds", timex.Tai, "International Atomic Time (TAI) offset."));
        samples.Add(Gauge("node_timex_sync_status", state == TimexBuffer.TimeError ? 0 : 1,
            "Is clock synchronized to a reliable server (1 = yes, 0 = no)."));
    }
}
