using System.Runtime.InteropServices;
using Narada.Core.Metrics;
using Narada.Plugins.System;
using Narada.Plugins.System.Native;

namespace Narada.Agent.Tests.SystemPlugin;

public sealed class TimexCollectorTests
{
    [Fact]
    public void The_struct_matches_the_64_bit_linux_layout()
    {
        // offsetof() on x86_64 glibc's struct timex; aarch64 is the same (64-bit longs, same padding).
        Assert.Equal(208, Marshal.SizeOf<TimexBuffer>());
        Assert.Equal(40, (int)Marshal.OffsetOf<TimexBuffer>(nameof(TimexBuffer.Status)));
        Assert.Equal(48, (int)Marshal.OffsetOf<TimexBuffer>(nameof(TimexBuffer.Constant)));
        Assert.Equal(72, (int)Marshal.OffsetOf<TimexBuffer>(nameof(TimexBuffer.TimeSeconds)));
        Assert.Equal(88, (int)Marshal.OffsetOf<TimexBuffer>(nameof(TimexBuffer.Tick)));
        Assert.Equal(112, (int)Marshal.OffsetOf<TimexBuffer>(nameof(TimexBuffer.Shift)));
        Assert.Equal(120, (int)Marshal.OffsetOf<TimexBuffer>(nameof(TimexBuffer.Stability)));
        Assert.Equal(160, (int)Marshal.OffsetOf<TimexBuffer>(nameof(TimexBuffer.Tai)));
    }

    [Fact]
    public async Task The_kernel_tick_is_one_user_hz_and_counters_are_counters()
    {
        var samples = await new TimexCollector().CollectAsync();
        Assert.Equal(17, samples.Count);
        Assert.Equal(1 / await KernelTools.ClockTicksAsync(), samples.Value("node_timex_tick_seconds"), 6);
        Assert.Equal(["node_timex_pps_calibration_total", "node_timex_pps_error_total", "node_timex_pps_jitter_total", "node_timex_pps_stability_exceeded_total"],
            samples.Where(s => s.Type == MetricType.Counter).Select(s => s.Name).Order());
        Assert.Contains(samples.Value("node_timex_sync_status"), new[] { 0.0, 1.0 });
    }

    [Theory]
    [InlineData(0, 1e6)]
    [InlineData(TimexBuffer.StatusNano, 1e9)]
    public void Offset_and_jitter_follow_sta_nano_and_errors_are_always_microseconds(int status, double divisor)
    {
        var timex = new TimexBuffer
        {
            Status = status,
            Offset = -1500,
            Jitter = 250,
            MaxError = 16_000_000,
            EstimatedError = 2_000,
            Tick = 10_000,
            Frequency = 65536 * 12,
            PpsFrequency = 65536 * 3,
            Stability = 65536,
            Constant = 7,
            Shift = 4,
            Tai = 37,
        };
        var samples = new List<Sample>();
        TimexCollector.Append(samples, state: 0, timex);
        Assert.Equal(-1500 / divisor, samples.Value("node_timex_offset_seconds"));
        Assert.Equal(250 / divisor, samples.Value("node_timex_pps_jitter_seconds"));
        Assert.Equal(16, samples.Value("node_timex_maxerror_seconds"));
        Assert.Equal(0.002, samples.Value("node_timex_estimated_error_seconds"));
        Assert.Equal(0.01, samples.Value("node_timex_tick_seconds"));
        Assert.Equal(1 + 12e-6, samples.Value("node_timex_frequency_adjustment_ratio"));
        Assert.Equal(3e-6, samples.Value("node_timex_pps_frequency_hertz"));
        Assert.Equal(1e-6, samples.Value("node_timex_pps_stability_hertz"));
        Assert.Equal(4, samples.Value("node_timex_pps_shift_seconds"));
        Assert.Equal(37, samples.Value("node_timex_tai_offset_seconds"));
        Assert.Equal(1, samples.Value("node_timex_sync_status"));

        samples.Clear();
        TimexCollector.Append(samples, state: TimexBuffer.TimeError, timex);
        Assert.Equal(0, samples.Value("node_timex_sync_status"));
    }
}
