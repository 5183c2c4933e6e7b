using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Narada.JobServer.Sessions.Loop;

/// <summary>
/// An epoll loop on a thread of its own that reads plain binary-protocol connections, like gearmand's I/O threads. Each
/// turn waits once for every readable connection, reads each once (level-triggered, so a busy peer cannot starve the
/// others), hands the packets to the engine, and only then sends what the turn produced: one write per connection per
/// turn, so a client's JOB_CREATED and the WORK_COMPLETEs its workers sent in the same turn leave together. That is
/// fewer system calls and wake-ups for the server and for its peers than a read and a write per connection event.
/// Between turns the loop polls briefly before it sleeps (<see cref="PollBudget"/>), so a busy peer's next packets
/// find it awake.
/// Sends that cannot finish at once, and the connection's teardown, continue on the thread pool.
/// </summary>
internal sealed class EventLoop : IDisposable
{
    private const ulong WakeToken = ulong.MaxValue;
    private readonly int _epoll;
    private readonly int _wake;
    private readonly Thread _thread;
    private readonly ILogger _logger;
    private readonly ConcurrentQueue<LoopSession> _joining = new();
    private readonly Dictionary<int, LoopSession> _sessions = [];
    private readonly byte[] _buffer = GC.AllocateUninitializedArray<byte>(64 * 1024);
    private readonly PollBudget _poll;
    private volatile bool _stopping;

    /// <param name="busyPoll">The longest the loop polls for more events before it sleeps; zero sleeps at once.</param>
    public EventLoop(string name, TimeSpan busyPoll, ILogger logger)
    {
        _logger = logger;
        _poll = new PollBudget(busyPoll);
        _epoll = Epoll.Create(Epoll.CloExec);
        if (_epoll < 0)
            throw new IOException($"epoll_create1 failed: errno {Marshal.GetLastPInvokeError()}");
        _wake = Epoll.EventFd(0, Epoll.CloExec);
        if (_wake < 0)
        {
            Epoll.Close(_epoll);
            throw new IOException($"eventfd failed: errno {Marshal.GetLastPInvokeError()}");
        }
        var wake = new Epoll.Event { Events = Epoll.In, Data = WakeToken };
        Epoll.Control(_epoll, Epoll.Add, _wake, ref wake);
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Where the kernel lays epoll_event out the way <see cref="Epoll.Event"/> does.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64;

    /// <summary>Starts reading the session's socket (already non-blocking); the task ends when the loop let go of it (see <see cref="LoopSession.Ended"/>).</summary>
    public Task<bool> Serve(LoopSession session)
    {
        _joining.Enqueue(session);
        Signal();
        if (_stopping)
            EndJoining();
        return session.Ended;
    }

    /// <summary>Lets go of every connection and ends the thread.</summary>
    public void Stop()
    {
        _stopping = true;
        Signal();
    }

    public void Dispose()
    {
        Stop();
        _thread.Join();
        Epoll.Close(_wake);
        Epoll.Close(_epoll);
    }

    private void Signal()
    {
        ulong one = 1;
        Epoll.Write(_wake, ref one, sizeof(ulong));
    }

    /// <summary>Polls for up to the poll budget (yielding the core between polls), then sleeps until events come.</summary>
    private int WaitForEvents(Epoll.Event[] events)
    {
        int count = Epoll.Wait(_epoll, events, events.Length, 0);
        if (count != 0)
            return count;
        if (_poll.Ticks > 0)
        {
            long until = Stopwatch.GetTimestamp() + _poll.Ticks;
            do
            {
                Thread.Yield(); // a peer waiting for this core can run and send what the loop waits for
                count = Epoll.Wait(_epoll, events, events.Length, 0);
            }
            while (count == 0 && Stopwatch.GetTimestamp() < until);
            if (count != 0)
            {
                _poll.Found();
                return count;
            }
            _poll.Expired();
        }
        long asleep = Stopwatch.GetTimestamp();
        count = Epoll.Wait(_epoll, events, events.Length, -1);
        _poll.Slept(Stopwatch.GetTimestamp() - asleep);
        return count;
    }

    private void Run()
    {
        var events = new Epoll.Event[256];
        while (!_stopping)
        {
            int count = WaitForEvents(events);
            if (count < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Epoll.EIntr)
                    continue;
                Log.LoopFailed(_logger, Thread.CurrentThread.Name ?? "-", errno);
                _stopping = true; // its connections end; new ones are refused rather than left waiting
                break;
            }
            try
            {
                Turn(events, count);
            }
            catch (Exception e)
            {
                // Read() keeps each connection's failures to itself; this is the loop's own, and it must go on.
                Log.LoopError(_logger, Thread.CurrentThread.Name ?? "-", e);
            }
        }
        foreach (var session in _sessions.Values.ToArray())
            Leave(session);
        EndJoining();
    }

    /// <summary>Reads every connection that is ready, then sends what that produced.</summary>
    private void Turn(Epoll.Event[] events, int count)
    {
        SendBatch.Begin();
        try
        {
            for (int i = 0; i < count; i++)
            {
                if (events[i].Data == WakeToken)
                    Join();
                else if (_sessions.TryGetValue((int)events[i].Data, out var session) && !Read(session))
                    Leave(session);
            }
        }
        finally
        {
            SendBatch.End();
        }
    }

    private bool Read(LoopSession session)
    {
        try
        {
            return session.OnReadable(_buffer);
        }
        catch (Exception e) when (e is ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            return false;
        }
        catch (Exception e)
        {
            // whatever went wrong with this connection must not stop the loop that serves the others
            Log.ConnectionFailed(_logger, session.RemoteAddress, e);
            return false;
        }
    }

    private void Join()
    {
        Epoll.Read(_wake, out _, sizeof(ulong));
        while (!_stopping && _joining.TryDequeue(out var session))
        {
            var e = new Epoll.Event { Events = Epoll.In | Epoll.RdHup, Data = (ulong)session.Fd };
            if (Epoll.Control(_epoll, Epoll.Add, session.Fd, ref e) != 0)
            {
                session.End();
                continue;
            }
            _sessions[session.Fd] = session;
        }
    }

    /// <summary>Off the epoll set before anything else may close the socket and let its number be reused.</summary>
    private void Leave(LoopSession session)
    {
        var e = default(Epoll.Event);
        Epoll.Control(_epoll, Epoll.Delete, session.Fd, ref e);
        _sessions.Remove(session.Fd);
        session.End();
    }

    private void EndJoining()
    {
        while (_joining.TryDequeue(out var session))
            session.End();
    }
}
