using Narada.Core.Contracts;
using Narada.Gearman.Client;
using Narada.Gearman.Transport;
using Narada.Gearman.Worker;

namespace Narada.Bench.Fleet;

/// <summary>
/// Stands in for the simulated agents: Narada GearmanWorkers (one per 500 hosts, at least 20) that together serve every simulated host's
/// <c>narada.check@host</c>, answer at once, and (when the job asks with <c>reply_to</c>) post the result envelope to
/// <c>narada.results</c> as a real agent does.
/// </summary>
internal sealed class FakeAgentPool : IAsyncDisposable
{
    // A job server finds a worker's next job by walking its functions: 500 hosts a connection at most, so at 100,000
    // hosts the pool's own grabs do not starve the controller's.
    private static int Workers => Math.Max(20, SimulatedFleet.Hosts / 500);
    private readonly List<GearmanWorker> _workers = [];
    private readonly List<Task> _runs = [];
    private readonly GearmanClient _replies;
    private readonly CancellationTokenSource _stop = new();
    private long _received;
    private long _posted;
    private long _sequence;

    public FakeAgentPool(ServerAddress server)
    {
        _replies = new GearmanClient(new GearmanClientOptions { Servers = [server] });
        for (int w = 0; w < Workers; w++)
        {
            var worker = new GearmanWorker(new GearmanWorkerOptions { Servers = [server], ClientId = $"fake-pool-{w}", Concurrency = 32 });
            for (int h = w; h < SimulatedFleet.Hosts; h += Workers)
                worker.Register($"narada.check@{SimulatedFleet.Host(h)}", HandleAsync);
            _workers.Add(worker);
        }
    }

    public long Received => Interlocked.Read(ref _received);

    public long Posted => Interlocked.Read(ref _posted);

    public async Task StartAsync()
    {
        foreach (var worker in _workers)
            _runs.Add(worker.RunAsync(_stop.Token));
        await Task.WhenAll(_workers.Select(w => w.Registered));
    }

    private async ValueTask<ReadOnlyMemory<byte>> HandleAsync(GearmanJobContext job, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _received);
        var request = Envelope.Parse<JobRequest>(job.Payload.Span);
        if (request.ReplyTo is not { Length: > 0 } replyTo)
            return ReadOnlyMemory<byte>.Empty;
        var host = job.Function[(job.Function.IndexOf('@') + 1)..];
        var result = Envelope.Serialize(SimulatedFleet.Result(request.Id, request.Name, host, Interlocked.Increment(ref _sequence)));
        await _replies.SubmitBackgroundAsync(replyTo, result, cancellationToken: cancellationToken);
        Interlocked.Increment(ref _posted);
        return ReadOnlyMemory<byte>.Empty;
    }

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
        await _replies.DisposeAsync();
        _stop.Dispose();
    }
}
