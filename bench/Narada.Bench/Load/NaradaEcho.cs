using System.Diagnostics;
using Narada.Gearman.Client;
using Narada.Gearman.Transport;
using Narada.Gearman.Worker;

namespace Narada.Bench.Load;

/// <summary>Narada's own client and worker doing echo jobs: the library under test and the job server's load generator.</summary>
public static class NaradaEcho
{
    /// <summary>A running Narada echo worker; disposing it closes its connection.</summary>
    public sealed class RunningWorker(GearmanWorker worker, Task run) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await worker.DisposeAsync();
            await run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Starts a worker serving <paramref name="function"/> with up to <paramref name="concurrency"/> jobs at once.</summary>
    public static async Task<RunningWorker> StartWorkerAsync(ServerAddress server, string function, int concurrency)
    {
        var worker = new GearmanWorker(new GearmanWorkerOptions { Servers = [server], Concurrency = concurrency });
        worker.Register(function, static (job, _) => ValueTask.FromResult(job.Payload));
        var running = new RunningWorker(worker, worker.RunAsync());
        try
        {
            await QueueProbe.WaitForWorkersAsync(server, function, 1, TimeSpan.FromSeconds(15));
            return running;
        }
        catch
        {
            await running.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client with one connection to <paramref name="server"/>.</summary>
    public static GearmanClient Client(ServerAddress server) => new(new GearmanClientOptions { Servers = [server] });

    /// <summary>One job at a time, like the PHP client: <paramref name="jobs"/> synchronous foreground calls.</summary>
    public static async Task<Measurement> RunSequentialAsync(GearmanClient client, string function, int payloadBytes, int jobs)
    {
        var payload = Payload(payloadBytes);
        var latency = new LatencySample();
        var total = Stopwatch.StartNew();
        for (int i = 0; i < jobs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            var result = await client.SubmitAsync(function, payload);
            Check(result, payloadBytes);
            latency.Add((long)Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }
        return new Measurement(jobs, total.Elapsed.TotalSeconds, latency);
    }

    /// <summary>
    /// Keeps <paramref name="inFlight"/> foreground jobs outstanding on the client's one connection for
    /// <paramref name="duration"/> (a closed loop: each finished job is replaced by a new one).
    /// </summary>
    public static Task<Measurement> RunPipelinedAsync(GearmanClient client, string function, int payloadBytes,
        int inFlight, TimeSpan duration)
    {
        var payload = Payload(payloadBytes);
        return RunLanesAsync(inFlight, duration, () => client.SubmitAsync(function, payload), result => Check(result, payloadBytes));
    }

    /// <summary>
    /// Keeps <paramref name="inFlight"/> background submits outstanding on the client's one connection for
    /// <paramref name="duration"/>: each lane submits its next job once the server acknowledged (and, with a persistent
    /// queue, stored) its last. Latency is the submit call.
    /// </summary>
    public static Task<Measurement> RunPipelinedBackgroundAsync(GearmanClient client, string function, int payloadBytes,
        int inFlight, TimeSpan duration)
    {
        var payload = Payload(payloadBytes);
        return RunLanesAsync(inFlight, duration, () => client.SubmitBackgroundAsync(function, payload), _ => { });
    }

    /// <summary><paramref name="inFlight"/> lanes, each calling <paramref name="submit"/> again as soon as its last call
    /// returned, until <paramref name="duration"/> has passed; every call's time is a latency sample.</summary>
    private static async Task<Measurement> RunLanesAsync<T>(int inFlight, TimeSpan duration, Func<ValueTask<T>> submit, Action<T> check)
    {
        var latency = new LatencySample();
        long jobs = 0;
        var total = Stopwatch.StartNew();
        long end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var lanes = Enumerable.Range(0, inFlight).Select(_ => Task.Run(async () =>
        {
            var mine = new List<long>(4096);
            while (Stopwatch.GetTimestamp() < end)
            {
                long start = Stopwatch.GetTimestamp();
                check(await submit());
                mine.Add((long)Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            }
            latency.AddRange(mine);
            Interlocked.Add(ref jobs, mine.Count);
        })).ToArray();
        await Task.WhenAll(lanes);
        return new Measurement(jobs, total.Elapsed.TotalSeconds, latency);
    }

    private static byte[] Payload(int bytes)
    {
        var payload = new byte[bytes];
        Array.Fill(payload, (byte)'x');
        return payload;
    }

    private static void Check(JobResult result, int payloadBytes)
    {
        if (!result.Succeeded || result.Data.Length != payloadBytes)
            throw new InvalidOperationException($"echo job {result.Handle} ended {result.Outcome} with {result.Data.Length} bytes");
    }
}
