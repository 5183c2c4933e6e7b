using System.Diagnostics;
using Narada.Core.Contracts;
using Narada.Core.Formats;
using Narada.Gearman.Client;

namespace Narada.Bench.Fleet;

/// <summary>
/// Keeps <c>window</c> foreground jobs in flight on one pipelined client for a fixed time and counts the answers,
/// checking that each tenth one is a result envelope with the expected status (a fast wrong answer is no result).
/// </summary>
internal static class SubmitLoop
{
    public sealed record Outcome(long Completed, double Seconds, double AgentCpuSeconds, double PluginCpuSeconds, double BenchCpuSeconds)
    {
        public double PerSecond => Completed / Seconds;
    }

    public static async Task<Outcome> RunAsync(GearmanClient client, string function, byte[] payload, CheckStatus expected,
        int window, TimeSpan warmup, TimeSpan duration, int agentPid)
    {
        using var stop = new CancellationTokenSource();
        long completed = 0;
        bool counting = false;
        var loops = Enumerable.Range(0, window).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var result = await client.SubmitAsync(function, payload);
                if (!result.Succeeded)
                    throw new InvalidOperationException($"{function}: job {result.Outcome}");
                long n = Volatile.Read(ref counting) ? Interlocked.Increment(ref completed) : 0;
                if (n % 10 == 1)
                {
                    var envelope = Envelope.Parse<Narada.Core.Contracts.JobResult>(result.Data.Span);
                    if (envelope.Status != expected)
                        throw new InvalidOperationException($"{function}: status {envelope.Status}, expected {expected}: {envelope.Output}");
                }
            }
        })).ToArray();

        await Task.Delay(warmup);
        double agentCpu0 = ProcessMeter.CpuSeconds(agentPid), allCpu0 = ProcessMeter.CpuSeconds(agentPid, reapedChildren: true);
        double benchCpu0 = ProcessMeter.CpuSeconds(Environment.ProcessId);
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref counting, true);
        await Task.Delay(duration);
        long done = Interlocked.Read(ref completed);
        double seconds = clock.Elapsed.TotalSeconds;
        double agentCpu = ProcessMeter.CpuSeconds(agentPid) - agentCpu0;
        double pluginCpu = Math.Max(0, ProcessMeter.CpuSeconds(agentPid, reapedChildren: true) - allCpu0 - agentCpu);
        double benchCpu = ProcessMeter.CpuSeconds(Environment.ProcessId) - benchCpu0;
        await stop.CancelAsync();
        await Task.WhenAll(loops);
        return new Outcome(done, seconds, agentCpu, pluginCpu, benchCpu);
    }
}
