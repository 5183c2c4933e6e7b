namespace Narada.Core.Execution;

/// <summary>
/// The work a part starts beside its callers (a handler run, a rollout, a submit): every task is kept until it ends, its
/// failure is reported instead of lost, and <see cref="DisposeAsync"/> cancels what still runs and waits for it. No
/// fire-and-forget task outlives the part that started it.
/// </summary>
public sealed class BackgroundWork(Action<string, Exception> onFailure) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<Task> _running = [];
    private readonly Lock _gate = new();
    private bool _stopped;

    /// <summary>Tasks started and not yet ended.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
                return _running.Count;
        }
    }

    /// <summary>Starts <paramref name="work"/> on the thread pool; false (and nothing started) once stopping began.</summary>
    /// <param name="what">Names the work in the failure report.</param>
    public bool Start(string what, Func<CancellationToken, Task> work)
    {
        lock (_gate)
        {
            if (_stopped)
                return false;
            var task = Task.Run(() => RunAsync(what, work), CancellationToken.None);
            _running.Add(task);
            // Removed when it ends; a task that ended before the Add above is removed here too (Add runs first under the lock).
            _ = task.ContinueWith(Forget, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return true;
        }
    }

    private async Task RunAsync(string what, Func<CancellationToken, Task> work)
    {
        try
        {
            await work(_stop.Token);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            onFailure(what, e);
        }
    }

    private void Forget(Task task)
    {
        lock (_gate)
            _running.Remove(task);
    }

    /// <summary>Refuses new work, cancels what runs and waits until all of it has ended.</summary>
    public async ValueTask DisposeAsync()
    {
        Task[] left;
        lock (_gate)
        {
            if (_stopped)
                return;
            _stopped = true;
            left = [.. _running];
        }
        await _stop.CancelAsync();
        await Task.WhenAll(left);
        _stop.Dispose();
    }
}
