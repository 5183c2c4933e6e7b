namespace Narada.Gearman.Worker;

public sealed partial class GearmanWorker
{
    private readonly CancellationTokenSource _abort = new();
    private readonly Lock _runLock = new();
    private Task? _run;
    private bool _disposed;

    /// <summary>
    /// Connects to every server and serves until <paramref name="cancellationToken"/> fires, then stops gracefully: no
    /// more grabs, jobs in hand run on for up to <see cref="GearmanWorkerOptions.StopTimeout"/>, after which their tokens
    /// are cancelled and they are reported WORK_FAIL. Returns normally once stopped.
    /// </summary>
    public Task RunAsync(CancellationToken cancellationToken = default)
    {
        lock (_runLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_run is { IsCompleted: false })
                throw new InvalidOperationException("the worker is already running");
            _run = ServeAsync(cancellationToken);
            return _run;
        }
    }

    private async Task ServeAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _abort.Token);
        // Fires StopTimeout after the stop (at once on dispose): the end of waiting for jobs and grab replies.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token);
        await using var startDeadline = stop.Token.Register(() => deadline.CancelAfter(_options.StopTimeout));
        var sessions = _options.Servers.Select(server => new WorkerSession(this, server, _options, _logger)).ToArray();
        Volatile.Write(ref _sessions, sessions);
        await Task.WhenAll(sessions.Select(session => session.RunAsync(stop.Token, deadline.Token)));

        bool graceful = !_abort.IsCancellationRequested;
        if (graceful)
            await FinishJobsAsync(deadline.Token);
        await Task.WhenAll(sessions.Select(session => session.CloseAsync(drain: graceful).AsTask()));
        Volatile.Write(ref _sessions, []);
    }

    /// <summary>Closes every connection at once without reporting the jobs in hand: the servers requeue them.</summary>
    public async ValueTask DisposeAsync()
    {
        Task? run;
        lock (_runLock)
        {
            if (_disposed)
                return;
            _disposed = true;
            run = _run;
        }
        await _abort.CancelAsync();
        if (run is not null)
            await run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing); // RunAsync's caller sees its faults
    }
}
