using System.IO.Pipelines;

namespace Narada.JobServer.Sessions;

/// <summary>
/// A connection's reads on the thread-pool path (TLS and admin connections; every connection where there is no
/// <see cref="Loop.EventLoop"/>), taken so that a peer whose input never runs dry cannot hold the thread that reads it:
/// after a run of reads that all found data waiting, the session lets the others go first.
/// </summary>
internal sealed class FairReader(PipeReader reader)
{
    /// <summary>Reads in a row that found data waiting before this connection yields.</summary>
    private const int ReadsBeforeYield = 32;

    private int _readsInARow;

    public PipeReader Pipe => reader;

    public async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken)
    {
        var reading = reader.ReadAsync(cancellationToken);
        if (!reading.IsCompleted)
            _readsInARow = 0;
        else if (++_readsInARow == ReadsBeforeYield)
        {
            _readsInARow = 0;
            await Task.Yield();
        }
        return await reading;
    }
}
