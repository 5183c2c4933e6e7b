using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Narada.Gearman.Protocol;
using Narada.Gearman.Transport;

namespace Narada.Gearman.Worker;

/// <summary>
/// The worker's presence on one job server: connects, registers, grabs jobs while a concurrency slot is free, sleeps
/// until NOOP when the server has nothing, and reconnects on its own with backoff, so one dead server never stalls the others.
/// </summary>
internal sealed class WorkerSession
{
    // How long a grab may wait for its answer while holding a concurrency slot (gearmand answers in microseconds).
    private static readonly TimeSpan SlowReply = TimeSpan.FromMilliseconds(200);

    // Grabs one connection keeps in flight at most (fewer when fewer slots are free). A deep queue fills a whole window
    // per round trip; a queue that empties answers at most one window with NO_JOB before the window shrinks.
    private const int MaxOutstandingGrabs = 64;

    private readonly GearmanWorker _worker;
    private readonly GearmanWorkerOptions _options;
    private readonly ILogger _logger;
    private WorkerLink? _link;

    public WorkerSession(GearmanWorker worker, ServerAddress server, GearmanWorkerOptions options, ILogger logger)
    {
        _worker = worker;
        Server = server;
        _options = options;
        _logger = logger;
    }

    public ServerAddress Server { get; }

    /// <summary>The live connection, or null while (re)connecting.</summary>
    public WorkerLink? Link => Volatile.Read(ref _link);

    /// <summary>Makes <paramref name="link"/> the live one; the worker calls it under its registration lock.</summary>
    public void Publish(WorkerLink link) => Volatile.Write(ref _link, link);

    /// <summary>
    /// Serves until <paramref name="stop"/> fires; the last connection stays open for the jobs in hand. A grab in flight
    /// at the stop is still answered and its job run, unless no answer comes before <paramref name="deadline"/>.
    /// </summary>
    public async Task RunAsync(CancellationToken stop, CancellationToken deadline)
    {
        int attempt = 0;
        while (!stop.IsCancellationRequested)
        {
            WorkerLink link;
            try
            {
                link = await WorkerLink.ConnectAsync(Server, _options, _logger, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (IsConnectionFault(e))
            {
                var retryIn = Backoff(attempt++);
                Log.WorkerConnectFailed(_logger, Server, retryIn, e);
                if (!await DelayAsync(retryIn, stop))
                    return;
                continue;
            }

            Log.WorkerConnected(_logger, Server);
            Exception lost;
            try
            {
                await _worker.AttachAsync(this, link);
                await ServeAsync(link, stop, deadline);
                return;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Whatever broke this connection, the worker keeps serving: it reconnects with backoff like after a
                // dropped socket, and the other servers' sessions never notice.
                lost = e;
            }
            await DetachAsync(link);
            // Only a server that answered counts as recovered; one that accepts and hangs up keeps backing off.
            if (link.HasAnswered)
                attempt = 0;
            var wait = Backoff(attempt++);
            Log.WorkerDisconnected(_logger, Server, wait, lost);
            if (!await DelayAsync(wait, stop))
                return;
        }
    }

    /// <summary>Closes the connection kept open after a stop; <paramref name="drain"/> first waits until the server has
    /// read every packet sent so far, so final WORK_COMPLETE/WORK_FAIL packets are not lost.</summary>
    public async ValueTask CloseAsync(bool drain)
    {
        if (Link is not { } link)
            return;
        if (drain)
            await link.DrainAsync(_options.ConnectTimeout);
        await DetachAsync(link);
    }

    private async Task ServeAsync(WorkerLink link, CancellationToken stop, CancellationToken deadline)
    {
        using var serving = CancellationTokenSource.CreateLinkedTokenSource(stop, link.ClosedToken);
        var token = serving.Token;
        var patience = CancellationTokenSource.CreateLinkedTokenSource(deadline);
        var connection = link.Connection;
        int window = MaxOutstandingGrabs;
        try
        {
            while (true)
            {
                // One grab per free slot, all sent at once: the server answers them in order, so a busy function
                // costs one round trip per batch of jobs rather than one per job.
                await _worker.Slots.WaitAsync(token);
                if (token.IsCancellationRequested)
                {
                    // SemaphoreSlim can still hand the slot to a waiter whose token fired just before a Release: a
                    // stop means no more grabs, so give it back.
                    _worker.Slots.Release();
                    token.ThrowIfCancellationRequested();
                }
                int held = 1;
                while (held < window && _worker.Slots.Wait(0))
                    held++;
                int pending = held;
                int assigned = 0;
                bool sawNoJob = false;
                try
                {
                    // A grab is not abandoned at the stop: once sent, its JOB_ASSIGN must be taken and run, or the
                    // server would think the job is running here. Only the deadline (or a dead connection) ends the wait.
                    await connection.SendAsync(PacketType.GrabJobUniq, times: pending);
                    patience.CancelAfter(SlowReply);
                    while (pending > 0)
                    {
                        Packet reply;
                        try
                        {
                            reply = await NextGrabReplyAsync(link.Replies, patience.Token);
                        }
                        catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
                        {
                            // A server this slow (or hung) must not sit on slots other servers could use: give them
                            // back and take one again only for a job that does arrive.
                            _worker.Slots.Release(held);
                            held = 0;
                            patience.Dispose();
                            patience = CancellationTokenSource.CreateLinkedTokenSource(deadline);
                            continue;
                        }
                        pending--;
                        if (reply.Type == PacketType.NoJob)
                        {
                            sawNoJob = true;
                            if (held > 0)
                            {
                                _worker.Slots.Release();
                                held--;
                            }
                            continue;
                        }
                        if (held > 0)
                            held--;
                        else
                            await _worker.Slots.WaitAsync(deadline);
                        assigned++;
                        _worker.StartJob(link, reply);
                    }
                    patience.TryReset();
                }
                finally
                {
                    if (held > 0)
                        _worker.Slots.Release(held);
                }
                // As many grabs next time as the queue had jobs this time, with room to grow: a near-empty queue
                // answers most of a full window with NO_JOB, which costs both ends a packet for nothing.
                window = sawNoJob ? Math.Clamp(2 * assigned, 1, MaxOutstandingGrabs) : Math.Min(2 * window, MaxOutstandingGrabs);
                // Sleep only after a round that found nothing: while jobs keep coming (this round got some), one more
                // round is cheaper than PRE_SLEEP and the NOOP that would answer it at once.
                if (!sawNoJob || assigned > 0)
                    continue;
                await connection.SendAsync(PacketType.PreSleep);
                await WaitForNoopAsync(link.Replies, token);
            }
        }
        finally
        {
            patience.Dispose();
        }
    }

    private static async ValueTask<Packet> NextGrabReplyAsync(ChannelReader<Packet> replies, CancellationToken deadline)
    {
        while (true)
        {
            var packet = await replies.ReadAsync(deadline);
            // A NOOP ahead of the reply was sent before the server saw this grab (the server wakes only sleepers, and a
            // grab ends the sleep), so the grab already answers it.
            if (packet.Type != PacketType.Noop)
                return packet;
        }
    }

    private static async ValueTask WaitForNoopAsync(ChannelReader<Packet> replies, CancellationToken token)
    {
        while ((await replies.ReadAsync(token)).Type != PacketType.Noop)
        {
            // nothing else is expected while asleep; whatever it is, keep waiting for the wake-up
        }
    }

    private async ValueTask DetachAsync(WorkerLink link)
    {
        Interlocked.CompareExchange(ref _link, null, link);
        await link.DisposeAsync();
    }

    private TimeSpan Backoff(int attempt) =>
        ReconnectBackoff.Delay(attempt, _options.ReconnectMinDelay, _options.ReconnectMaxDelay);

    private static async ValueTask<bool> DelayAsync(TimeSpan delay, CancellationToken stop)
    {
        try
        {
            await Task.Delay(delay, stop);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static bool IsConnectionFault(Exception e) =>
        e is GearmanConnectionException or GearmanProtocolException or ChannelClosedException or SocketException
            or IOException or ObjectDisposedException;
}
