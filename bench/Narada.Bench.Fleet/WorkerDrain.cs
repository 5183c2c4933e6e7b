using System.Diagnostics;
using Narada.Gearman.Client;
using Narada.Gearman.Transport;
using Narada.Gearman.Worker;
using Narada.Testing;

namespace Narada.Bench.Fleet;

/// <summary>
/// How fast one Narada GearmanWorker connection takes jobs when the handler costs nothing: a queue is filled first,
/// then drained by a worker with a no-op handler. This isolates the worker's grab cadence from what the jobs do.
/// </summary>
internal static class WorkerDrain
{
    public sealed record Outcome(int Jobs, double Seconds, double CpuPercent)
    {
        public double PerSecond => Jobs / Seconds;
    }

    /// <summary>Against Narada's job server in this process, and against a stock gearmand in its own process.</summary>
    public static async Task<(Outcome InProcess, Outcome Gearmand)> RunBothAsync(int jobs, int concurrency)
    {
        Outcome inProcess;
        await using (var server = await LocalJobServer.StartAsync())
            inProcess = await RunAsync(server.Address, jobs, concurrency);
        await using var gearmand = await GearmandServer.StartAsync();
        return (inProcess, await RunAsync(new ServerAddress(gearmand.Host, gearmand.Port), jobs, concurrency));
    }

    private static async Task<Outcome> RunAsync(ServerAddress server, int jobs, int concurrency)
    {
        const string Function = "bench.drain";
        await using (var client = new GearmanClient(new GearmanClientOptions { Servers = [server] }))
        {
            var payload = new byte[300];
            for (int i = 0; i < jobs; i += 1000)
                await Task.WhenAll(Enumerable.Range(i, Math.Min(1000, jobs - i))
                    .Select(n => client.SubmitBackgroundAsync(Function, payload).AsTask()));
        }
        await using var worker = new GearmanWorker(new GearmanWorkerOptions { Servers = [server], Concurrency = concurrency });
        worker.Register(Function, (_, _) => ValueTask.FromResult(ReadOnlyMemory<byte>.Empty));
        using var stop = new CancellationTokenSource();
        double cpu0 = ProcessMeter.CpuSeconds(Environment.ProcessId);
        var clock = Stopwatch.StartNew();
        var run = worker.RunAsync(stop.Token);
        while (worker.JobsCompleted < jobs && clock.Elapsed < TimeSpan.FromSeconds(30))
            await Task.Delay(5);
        double seconds = clock.Elapsed.TotalSeconds;
        double cpu = ProcessMeter.CpuSeconds(Environment.ProcessId) - cpu0;
        int done = (int)worker.JobsCompleted;
        await stop.CancelAsync();
        try
        {
            await run;
        }
        catch (OperationCanceledException)
        {
        }
        return new Outcome(done, seconds, cpu / seconds * 100);
    }
}
