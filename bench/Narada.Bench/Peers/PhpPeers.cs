using System.Globalization;
using Narada.Bench.Hosting;
using Narada.Bench.Load;
using Narada.Gearman.Transport;

namespace Narada.Bench.Peers;

/// <summary>The PHP (php-gearman, i.e. libgearman) echo worker and client in bench/peers, run as real processes.</summary>
public static class PhpPeers
{
    public const string Php = "/usr/bin/php";

    /// <summary>Starts <paramref name="count"/> PHP echo workers and waits until the server lists them all.</summary>
    public static async Task<IAsyncDisposable> StartWorkersAsync(ServerAddress server, string function, int count)
    {
        var workers = new ProcessGroup();
        for (int i = 0; i < count; i++)
            workers.Add(ChildProcess.Start(Php, [RepositoryPaths.Peer("echo_worker.php"), server.Host, $"{server.Port}", function]));
        try
        {
            await QueueProbe.WaitForWorkersAsync(server, function, count, TimeSpan.FromSeconds(15));
            return workers;
        }
        catch
        {
            await workers.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="clients"/> PHP clients at once, each doing <paramref name="jobsPerClient"/> synchronous calls
    /// (<c>doNormal</c>, or <c>doBackground</c> when <paramref name="background"/>); seconds are the slowest client's own.
    /// </summary>
    public static async Task<Measurement> RunClientsAsync(ServerAddress server, string function, int clients,
        int jobsPerClient, int payloadBytes, bool background)
    {
        var dir = Directory.CreateTempSubdirectory("narada-bench-");
        try
        {
            var runs = Enumerable.Range(0, clients).Select(i => RunClientAsync(server, function, jobsPerClient, payloadBytes,
                background, Path.Combine(dir.FullName, $"latency-{i}.txt"))).ToArray();
            var results = await Task.WhenAll(runs);
            var latency = new LatencySample();
            foreach (var (_, _, file) in results)
                latency.AddRange(File.ReadLines(file).Where(l => l.Length > 0).Select(l => long.Parse(l, CultureInfo.InvariantCulture)));
            return new Measurement(results.Sum(r => r.Jobs), results.Max(r => r.Seconds), latency);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static async Task<(long Jobs, double Seconds, string LatencyFile)> RunClientAsync(ServerAddress server,
        string function, int jobs, int payloadBytes, bool background, string latencyFile)
    {
        await using var client = ChildProcess.Start(Php, [RepositoryPaths.Peer("echo_client.php"), server.Host, $"{server.Port}",
            $"{jobs}", $"{payloadBytes}", background ? "bg" : "fg", function, latencyFile]);
        int exit = await client.WaitAsync(TimeSpan.FromSeconds(60));
        var fields = client.Output.Trim().Split('\n')[^1].Split(' ');
        if (exit != 0 || fields.Length != 2)
            throw new InvalidOperationException($"PHP client failed (exit {exit}): {client.Output}");
        return (long.Parse(fields[0], CultureInfo.InvariantCulture), double.Parse(fields[1], CultureInfo.InvariantCulture), latencyFile);
    }
}
