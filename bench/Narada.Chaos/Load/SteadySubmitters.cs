using System.Diagnostics;
using System.Globalization;
using System.Text;
using Narada.Gearman.Client;
using Narada.Gearman.Transport;

namespace Narada.Chaos.Load;

/// <summary>
/// Clients sending background jobs at a steady rate, each on a connection of its own, each job with a unique key of
/// its own, writing every acknowledged one into the ledger. While the server is down a submit fails and the client
/// moves on (the next job gets a new key), as an application would that logs and carries on.
/// </summary>
public sealed class SteadySubmitters : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _loops;
    private readonly GearmanClient[] _clients;

    /// <param name="payload">The job's bytes from its unique key (the workers read the key from the payload).</param>
    public SteadySubmitters(ServerAddress server, string function, int submitters, double jobsPerSecondEach, JobLedger ledger,
        Func<string, byte[]>? payload = null, string prefix = "job")
    {
        payload ??= Encoding.UTF8.GetBytes;
        _clients = [.. Enumerable.Range(0, submitters).Select(_ => new GearmanClient(new GearmanClientOptions { Servers = [server] }))];
        _loops = [.. _clients.Select((client, i) => Task.Run(() => SubmitLoopAsync(client, $"{prefix}-{i}", function, jobsPerSecondEach, ledger, payload, _stop.Token)))];
    }

    private static async Task SubmitLoopAsync(GearmanClient client, string name, string function, double rate, JobLedger ledger,
        Func<string, byte[]> payload, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        long sent = 0;
        var batch = new List<Task>();
        while (!stop.IsCancellationRequested)
        {
            long due = (long)(clock.Elapsed.TotalSeconds * rate);
            // Jobs that fell due while the server was down are not sent later in a burst: the load stays steady.
            if (due - sent > rate)
                sent = due - 1;
            if (sent >= due)
            {
                try
                {
                    await Task.Delay(5, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                continue;
            }
            batch.Clear();
            for (; sent < due && batch.Count < 64; sent++)
                batch.Add(SubmitOneAsync(client, function, string.Create(CultureInfo.InvariantCulture, $"{name}-{sent}"), ledger, payload));
            await Task.WhenAll(batch);
        }
    }

    private static async Task SubmitOneAsync(GearmanClient client, string function, string unique, JobLedger ledger, Func<string, byte[]> payload)
    {
        try
        {
            await client.SubmitBackgroundAsync(function, payload(unique), new JobOptions { Unique = unique, Timeout = TimeSpan.FromSeconds(10) });
            ledger.Acknowledged(unique);
        }
        catch (Exception e) when (e is GearmanConnectionException or GearmanServerException or TimeoutException or IOException)
        {
            ledger.Refused();
        }
    }

    /// <summary>Stops submitting; the jobs in flight are answered or refused first.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        foreach (var client in _clients)
            await client.DisposeAsync();
        _stop.Dispose();
    }
}
