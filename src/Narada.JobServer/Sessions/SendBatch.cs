namespace Narada.JobServer.Sessions;

/// <summary>
/// The outboxes a thread queued packets into while it handled one read's worth of packets. Ending the batch sends them
/// from that same thread, one write per connection, instead of waking each connection's send loop: under pipelined load
/// that saves a thread-pool hop (and usually a context switch) per connection per read.
/// </summary>
internal static class SendBatch
{
    [ThreadStatic] private static List<Outbox>? t_dirty;
    [ThreadStatic] private static bool t_open;

    /// <summary>True between <see cref="Begin"/> and <see cref="End"/> on this thread.</summary>
    public static bool IsOpen => t_open;

    public static void Begin()
    {
        t_dirty ??= [];
        t_open = true;
        Engine.TurnClock.Start();
    }

    /// <summary>Called by an outbox the first time it is written to in this batch.</summary>
    public static void Add(Outbox outbox) => t_dirty!.Add(outbox);

    /// <summary>Sends what the batch queued; a send that cannot finish at once carries on without this thread.</summary>
    public static void End()
    {
        t_open = false;
        Engine.TurnClock.Stop();
        var dirty = t_dirty!;
        try
        {
            foreach (var outbox in dirty)
                outbox.FlushInline();
        }
        finally
        {
            dirty.Clear();
        }
    }
}
