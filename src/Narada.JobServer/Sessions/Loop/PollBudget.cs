using System.Diagnostics;

namespace Narada.JobServer.Sessions.Loop;

/// <summary>
/// How long an event loop keeps polling for events before it goes to sleep in epoll_wait. When peers answer quickly
/// (pipelined clients and workers), their next packets arrive while the loop is still awake, so neither side pays for
/// a wake-up: on loopback, a send that wakes a sleeping reader costs more than the send itself. The budget adapts so
/// that a quiet server sleeps at once: it halves each time a whole poll finds nothing, down to none, and is restored
/// whenever events come within the longest poll, whether the loop was polling or asleep.
/// </summary>
internal sealed class PollBudget
{
    private readonly long _max;

    /// <param name="longest">The longest poll; zero never polls.</param>
    public PollBudget(TimeSpan longest)
    {
        _max = (long)(longest.TotalSeconds * Stopwatch.Frequency);
        Ticks = _max;
    }

    /// <summary>How long to poll before the next sleep, in <see cref="Stopwatch"/> ticks; 0 = sleep at once.</summary>
    public long Ticks { get; private set; }

    /// <summary>Polling found events.</summary>
    public void Found() => Ticks = _max;

    /// <summary>A whole poll found nothing.</summary>
    public void Expired() => Ticks /= 2;

    /// <summary>The loop slept for <paramref name="ticks"/> before events came.</summary>
    public void Slept(long ticks)
    {
        if (ticks < _max)
            Ticks = _max;
    }
}
