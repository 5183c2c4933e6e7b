using Microsoft.Extensions.Logging;

namespace Narada.JobServer.Sessions.Loop;

/// <summary>One <see cref="EventLoop"/> per core; connections are dealt out in turn.</summary>
internal sealed class EventLoops : IDisposable
{
    private readonly EventLoop[] _loops;
    private int _next;

    public EventLoops(int count, TimeSpan busyPoll, ILogger logger)
    {
        _loops = new EventLoop[count];
        try
        {
            for (int i = 0; i < count; i++)
                _loops[i] = new EventLoop($"narada-jobserver-loop-{i}", busyPoll, logger);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public EventLoop Next() => _loops[(int)((uint)Interlocked.Increment(ref _next) % (uint)_loops.Length)];

    /// <summary>Lets go of every connection; their sessions end and clean up on the thread pool.</summary>
    public void Stop()
    {
        foreach (var loop in _loops)
            loop?.Stop();
    }

    public void Dispose()
    {
        foreach (var loop in _loops)
            loop?.Dispose();
    }
}
