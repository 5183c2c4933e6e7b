using System.Diagnostics;
using Narada.Plugins.System;
using Xunit.Abstractions;

namespace Narada.Agent.Tests.SystemPlugin;

/// <summary>
/// A rough guard on allocation per collection (not timing: benchmarks live in bench/). The bound is the samples
/// themselves plus a little: a regression to per-line string splitting or LINQ would blow through it.
/// </summary>
public sealed class CollectorAllocationTests(ITestOutputHelper output)
{
    // A Sample record, its share of the list, and nothing else: about 100 bytes on 64-bit.
    private const long BytesPerSample = 112;
    private const long FixedOverhead = 2048;

    [Theory]
    [InlineData("cpu")]
    [InlineData("memory")]
    [InlineData("load")]
    [InlineData("disk")]
    [InlineData("network")]
    [InlineData("uptime")]
    [InlineData("netclass")]
    [InlineData("arp")]
    [InlineData("softnet")]
    [InlineData("time")]
    [InlineData("timex")]
    [InlineData("cpufreq")]
    public async Task Allocation_per_collection_is_about_the_samples_returned(string name)
    {
        Assert.True(new BuiltinCollectors().TryGet(name, out var collector));
        var count = (await collector.CollectAsync()).Count; // warm the label caches
        const int Rounds = 200;
        var started = Stopwatch.GetTimestamp();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Rounds; i++)
            await collector.CollectAsync();
        var perCollection = (GC.GetAllocatedBytesForCurrentThread() - before) / Rounds;
        var micros = Stopwatch.GetElapsedTime(started).TotalMicroseconds / Rounds;
        output.WriteLine($"{name}: {count} samples, {perCollection} bytes and ~{micros:F0} µs per collection");
        Assert.True(perCollection <= FixedOverhead + BytesPerSample * count,
            $"{name} allocated {perCollection} bytes for {count} samples");
    }
}
