using System.Globalization;
using System.Text;
using Narada.Gearman.Protocol;
using Narada.Gearman.Transport;

namespace Narada.Gearman.Client;

/// <summary>
/// A client's one connection to one server. A request is written and queued for its in-order reply under one lock, so
/// the order requests are written in is the order of the FIFO their replies are matched against; WORK_* packets are
/// routed by handle to every job the server coalesced onto it. When the connection breaks, every request and job on it
/// fails.
/// </summary>
internal sealed class ClientSession : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Queue<PendingRequest> _awaitingReply = new();
    private readonly Dictionary<string, GearmanJob> _jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GearmanJob>.AlternateLookup<ReadOnlySpan<char>> _jobsBySpan;
    private GearmanConnection? _connection;
    private Exception? _failure;

    private ClientSession(ServerAddress server)
    {
        Server = server;
        _jobsBySpan = _jobs.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public ServerAddress Server { get; }

    public bool IsOpen => Volatile.Read(ref _failure) is null && _connection is { IsOpen: true };

    /// <summary>Connects, and asks for exceptions when told to; a server that refuses the option fails the connect.</summary>
    public static async ValueTask<ClientSession> ConnectAsync(ServerAddress server, GearmanClientOptions options)
    {
        var session = new ClientSession(server);
        session._connection = await GearmanConnection.ConnectAsync(server, session.OnPacket, options.Limits, options.ConnectTimeout, options.Tls);
        _ = session._connection.Completion.ContinueWith(static (t, state) =>
        {
            var s = (ClientSession)state!;
            s.Fail(new GearmanConnectionException(s.Server, "connection lost: " + (t.Exception?.InnerException?.Message ?? "closed"),
                t.Exception?.InnerException));
        }, session, TaskScheduler.Default);
        if (!options.Exceptions)
            return session;
        try
        {
            var request = new PendingRequest(PacketType.OptionReq, null, 1, "exceptions"u8.ToArray());
            session.Enqueue(request);
            PendingRequest.ThrowIfError(await request.Reply.WaitAsync(options.ConnectTimeout));
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>Writes a request and expects its reply next in line; it fails at once if the session already failed.</summary>
    public void Enqueue(PendingRequest request)
    {
        Exception? failure;
        lock (_gate)
        {
            failure = _failure;
            if (failure is null)
            {
                try
                {
                    request.Send(_connection!);
                    _awaitingReply.Enqueue(request);
                    return;
                }
                catch (GearmanConnectionException e)
                {
                    failure = e; // the connection broke; its end fails the session's other requests
                }
            }
        }
        request.Fail(failure);
    }

    /// <summary>Sends a request and waits for its in-order reply; an ERROR reply becomes a <see cref="GearmanServerException"/>.</summary>
    public async ValueTask<Packet> RequestAsync(PendingRequest request, CancellationToken cancellationToken)
    {
        Enqueue(request);
        try
        {
            return PendingRequest.ThrowIfError(await request.Reply.WaitAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
            Abandon(request);
            throw;
        }
    }

    /// <summary>The caller stopped waiting: ignore the request's reply, and stop routing its job.</summary>
    public void Abandon(PendingRequest request)
    {
        lock (_gate)
        {
            request.Abandoned = true;
            if (request.Job is { IsListening: true } job)
                Unlink(job);
        }
    }

    /// <summary>Stops routing WORK_* packets to <paramref name="job"/> (it timed out or its caller gave up).</summary>
    public void Forget(GearmanJob job)
    {
        lock (_gate)
        {
            if (job.IsListening)
                Unlink(job);
        }
    }

    private ValueTask OnPacket(Packet packet)
    {
        switch (packet.Type)
        {
            case PacketType.JobCreated or PacketType.StatusRes or PacketType.StatusResUnique or PacketType.EchoRes
                or PacketType.OptionRes or PacketType.Error:
                OnReply(packet);
                break;
            case PacketType.WorkData:
                Route(packet, new JobUpdate(JobUpdateKind.Data, packet.Argument(1)), finish: null);
                break;
            case PacketType.WorkWarning:
                Route(packet, new JobUpdate(JobUpdateKind.Warning, packet.Argument(1)), finish: null);
                break;
            case PacketType.WorkStatus:
                Route(packet, new JobUpdate(JobUpdateKind.Status, default, Number(packet.Argument(1)), Number(packet.Argument(2))), finish: null);
                break;
            case PacketType.WorkException:
                Route(packet, new JobUpdate(JobUpdateKind.Exception, packet.Argument(1)), JobOutcome.Exception);
                break;
            case PacketType.WorkComplete:
                Route(packet, null, JobOutcome.Completed);
                break;
            case PacketType.WorkFail:
                Route(packet, null, JobOutcome.Failed);
                break;
            case PacketType.Noop:
                break;
            default:
                throw new GearmanProtocolException(ProtocolError.InvalidCommand, $"a client does not expect {packet.Type}");
        }
        return ValueTask.CompletedTask;
    }

    private void OnReply(in Packet packet)
    {
        PendingRequest? request;
        lock (_gate)
        {
            _awaitingReply.TryDequeue(out request);
            if (request is { Job: { } job, Abandoned: false } && packet.Type == PacketType.JobCreated)
                Listen(job, packet.ArgumentString(0));
        }
        if (request is null)
            throw new GearmanProtocolException(ProtocolError.InvalidCommand, $"{packet.Type} arrived with no request waiting for it");
        if (packet.Type != PacketType.Error && packet.Type != request.ExpectedReply)
        {
            var error = new GearmanProtocolException(ProtocolError.InvalidCommand,
                $"{packet.Type} arrived in reply to {request.Type}, expected {request.ExpectedReply}");
            request.Fail(error);
            throw error;
        }
        request.Complete(packet);
    }

    private void Listen(GearmanJob job, string handle)
    {
        job.Handle = new JobHandle(Server, handle);
        job.Session = this;
        job.IsListening = true;
        job.NextWithSameHandle = _jobs.TryGetValue(handle, out var first) ? first : null;
        _jobs[handle] = job;
    }

    private void Unlink(GearmanJob job)
    {
        job.IsListening = false;
        string handle = job.Handle.Handle;
        if (!_jobs.TryGetValue(handle, out var first))
            return;
        if (ReferenceEquals(first, job))
        {
            if (job.NextWithSameHandle is { } next)
                _jobs[handle] = next;
            else
                _jobs.Remove(handle);
            return;
        }
        for (var j = first; j.NextWithSameHandle is { } next; j = next)
        {
            if (ReferenceEquals(next, job))
            {
                j.NextWithSameHandle = job.NextWithSameHandle;
                return;
            }
        }
    }

    /// <summary>Hands an update and/or the end to every job listening on the packet's handle; unknown handles are ignored
    /// (their callers gave up).</summary>
    private void Route(in Packet packet, JobUpdate? update, JobOutcome? finish)
    {
        var handleBytes = packet.Argument(0).Span;
        // gearmand 1.1 sends WORK_FAIL as "handle\0": the handle ends at the first NUL whatever the packet type.
        int nul = handleBytes.IndexOf((byte)0);
        if (nul >= 0)
            handleBytes = handleBytes[..nul];
        Span<char> handle = stackalloc char[PacketLimits.MaxHandleLength];
        int length = Encoding.UTF8.GetChars(handleBytes, handle);
        GearmanJob? first;
        lock (_gate)
        {
            if (!_jobsBySpan.TryGetValue(handle[..length], out first))
                return;
            if (finish is not null)
            {
                _jobsBySpan.Remove(handle[..length]);
                for (var j = first; j is not null; j = j.NextWithSameHandle)
                    j.IsListening = false;
            }
            if (update is { } u)
                for (var j = first; j is not null; j = j.NextWithSameHandle)
                    j.Update(u);
        }
        if (finish is { } outcome)
        {
            var data = packet.ArgumentCount > 1 ? packet.Argument(1) : ReadOnlyMemory<byte>.Empty;
            for (var j = first; j is not null; j = j.NextWithSameHandle)
                j.Finish(outcome, data);
        }
    }

    /// <summary>WORK_STATUS numbers are decimal text; a worker that sends something else gets 0 rather than a broken client.</summary>
    internal static long Number(ReadOnlyMemory<byte> text) =>
        long.TryParse(text.Span, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) ? n : 0;

    private void Fail(Exception error)
    {
        PendingRequest[] requests;
        List<GearmanJob> jobs = [];
        lock (_gate)
        {
            if (_failure is not null)
                return;
            Volatile.Write(ref _failure, error);
            requests = _awaitingReply.ToArray();
            _awaitingReply.Clear();
            foreach (var first in _jobs.Values)
                for (var j = first; j is not null; j = j.NextWithSameHandle)
                {
                    j.IsListening = false;
                    jobs.Add(j);
                }
            _jobs.Clear();
        }
        foreach (var r in requests)
            r.Fail(error);
        foreach (var j in jobs)
            j.Fail(error);
    }

    public async ValueTask DisposeAsync()
    {
        Fail(new GearmanConnectionException(Server, "the client was disposed"));
        if (_connection is not null)
            await _connection.DisposeAsync();
    }
}
