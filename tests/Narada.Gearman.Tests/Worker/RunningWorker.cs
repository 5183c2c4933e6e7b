using Narada.Gearman.Transport;
using Narada.Gearman.Worker;
using Narada.Testing;

namespace Narada.Gearman.Tests.Worker;

/// <summary>A <see cref="GearmanWorker"/> serving in the background for one test; stopped and disposed at the end.</summary>
internal sealed class RunningWorker : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private int _disposed;

    private RunningWorker(GearmanWorker worker)
    {
        Worker = worker;
        Run = worker.RunAsync(_stop.Token);
    }

    public GearmanWorker Worker { get; }

    /// <summary>The RunAsync task.</summary>
    public Task Run { get; }

    public static GearmanWorkerOptions Options(params GearmandServer[] servers) => new()
    {
        Servers = servers.Select(s => new ServerAddress(s.Host, s.Port)).ToArray(),
        ReconnectMinDelay = TimeSpan.FromMilliseconds(20),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
        StopTimeout = TimeSpan.FromSeconds(5),
    };

    /// <summary>Starts the worker with its functions already registered, and waits until a server has them.</summary>
    public static async Task<RunningWorker> StartAsync(GearmanWorkerOptions options, Action<GearmanWorker> register)
    {
        var worker = new GearmanWorker(options);
        register(worker);
        var running = new RunningWorker(worker);
        await worker.Registered.WaitAsync(TimeSpan.FromSeconds(10));
        return running;
    }

    /// <summary>Cancels RunAsync (a graceful stop) and waits for it to return.</summary>
    public async Task StopAsync(TimeSpan? within = null)
    {
        await _stop.CancelAsync();
        await Run.WaitAsync(within ?? TimeSpan.FromSeconds(15));
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await _stop.CancelAsync();
        await Worker.DisposeAsync();
        _stop.Dispose();
    }
}
