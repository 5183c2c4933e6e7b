namespace Narada.Controller.State;

/// <summary>
/// A version number that moves whenever what the controller shows changes (a result, a heartbeat, a silence, what
/// another member of a cluster changed), so the dashboard's live stream knows when to tell browsers. Moving it is one
/// interlocked increment, cheap enough for every result; waiting for it looks at it four times a second.
/// </summary>
public sealed class ChangeFeed
{
    private static readonly TimeSpan Look = TimeSpan.FromMilliseconds(250);
    private long _version;

    public long Version => Interlocked.Read(ref _version);

    public void Bump() => Interlocked.Increment(ref _version);

    /// <summary>Completes when the version has moved past <paramref name="seen"/> (at once when it already has).</summary>
    public async Task WaitPastAsync(long seen, CancellationToken cancellationToken)
    {
        while (Version == seen)
            await Task.Delay(Look, cancellationToken);
    }
}
