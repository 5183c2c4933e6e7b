namespace Narada.Controller.Scheduling;

/// <summary>
/// Hands items to a handler at their due time: how per-host splay offsets turn one Quartz firing into a steady
/// stream of dispatches across the interval. One loop, one timer; items due together run in order.
/// </summary>
public sealed class DelayQueue<T> : IAsyncDisposable
{
    private readonly PriorityQueue<T, DateTimeOffset> _queue = new();
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly Func<T, ValueTask> _handler;
    private readonly TimeProvider _time;  // "now" for due checks; waits use real time
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public DelayQueue(Func<T, ValueTask> handler, TimeProvider? time = null)
    {
        _handler = handler;
        _time = time ?? TimeProvider.System;
        _loop = Task.Run(RunAsync);
    }

    public int Count
    {
        get { lock (_lock) return _queue.Count; }
    }

    public void Enqueue(T item, DateTimeOffset due)
    {
        bool earliest;
        lock (_lock)
        {
            earliest = !_queue.TryPeek(out _, out var head) || due < head;
            _queue.Enqueue(item, due);
        }
        if (earliest)
            _wake.Release();
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            T? item = default;
            TimeSpan wait = Timeout.InfiniteTimeSpan;
            bool ready = false;
            lock (_lock)
            {
                if (_queue.TryPeek(out var head, out var due))
                {
                    var now = _time.GetUtcNow();
                    if (due <= now)
                    {
                        item = _queue.Dequeue();
                        ready = true;
                    }
                    else
                    {
                        wait = due - now;
                    }
                }
            }
            if (ready)
            {
                await _handler(item!);
                continue;
            }
            try
            {
                await _wake.WaitAsync(wait, token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        _wake.Dispose();
    }
}
