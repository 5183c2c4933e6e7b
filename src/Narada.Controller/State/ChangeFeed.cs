namespace Narada.Controller.State;

/// <summary>
/// A version number that moves whenever what the controller shows changes (a result, a heartbeat, a silence, what
/// another member of a cluster changed), so the dashboard's live stream knows when to tell browsers.
/// </summary>
public sealed class ChangeFeed
{
    private long _version;
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long Version => Interlocked.Read(ref _version);

    public void Bump()
    {
        Interlocked.Increment(ref _version);
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>Completes when the version moves past <paramref name="seen"/> (at once when it already has).</summary>
    public Task WaitPastAsync(long seen, CancellationToken cancellationToken)
    {
        var next = Volatile.Read(ref _next).Task;
        return Version != seen ? Task.CompletedTask : next.WaitAsync(cancellationToken);
    }
}
