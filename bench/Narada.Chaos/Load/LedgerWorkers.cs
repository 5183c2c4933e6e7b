using System.Text;
using Narada.Gearman.Transport;
using Narada.Gearman.Worker;

namespace Narada.Chaos.Load;

/// <summary>Narada <see cref="GearmanWorker"/>s, each on connections of its own, writing every job they run into the ledger.</summary>
public sealed class LedgerWorkers : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly GearmanWorker[] _workers;
    private readonly Task[] _runs;

    public LedgerWorkers(ServerAddress server, string function, int workers, int concurrency, JobLedger ledger)
    {
        _workers = [.. Enumerable.Range(0, workers).Select(i => new GearmanWorker(new GearmanWorkerOptions
        {
            Servers = [server],
            Concurrency = concurrency,
            ClientId = $"chaos-worker-{i}",
        }))];
        foreach (var worker in _workers)
            worker.Register(function, (job, _) =>
            {
                ledger.Executed(Encoding.UTF8.GetString(job.Payload.Span));
                return ValueTask.FromResult(ReadOnlyMemory<byte>.Empty);
            });
        _runs = [.. _workers.Select(w => w.RunAsync(_stop.Token))];
    }

    public Task Registered => Task.WhenAll(_workers.Select(w => w.Registered));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_runs);
        }
        catch (OperationCanceledException)
        {
        }
        foreach (var worker in _workers)
            await worker.DisposeAsync();
        _stop.Dispose();
    }
}
