using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Narada.Gearman.Protocol;
using Narada.Gearman.Tls;

namespace Narada.Gearman.Transport;

/// <summary>
/// One TCP connection from a client or worker to a job server. A read loop hands every response packet, in order, to
/// the owner's handler. A send from any thread is framed, under a short lock, into a pending buffer and returns; a send
/// task queued by the first sender of a burst writes the buffer to the socket while later senders fill the other one,
/// so concurrent senders share system calls and no sender waits for a thread hop or a lock held across I/O.
/// </summary>
public sealed class GearmanConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    // SendAsync waits while this much is pending; the send task lets the waiters go when it takes the buffer to write
    // it, so a connection whose server stopped reading holds about twice this at most.
    private const int PauseSendersAt = 1 << 20;
    private const int InitialBuffer = 4096;
    private const int KeepBufferUpTo = 1 << 20;

    private readonly Lock _sendGate = new();
    private ArrayBufferWriter<byte> _pending = new(InitialBuffer); // appended to by senders, under _sendGate
    private ArrayBufferWriter<byte> _spare = new(InitialBuffer);   // the one the send task writes (or wrote last)
    private bool _sending;       // a send task is queued or running; under _sendGate
    private bool _sendClosed;    // no more sends; under _sendGate
    private TaskCompletionSource? _room; // senders waiting for the pending buffer to be taken; under _sendGate
    private readonly TaskCompletionSource _sendFailed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IThreadPoolWorkItem _sendWork;
    private readonly CancellationTokenSource _closing = new();
    private readonly Func<Packet, ValueTask> _onPacket;
    private readonly PacketLimits _limits;
    private Task _readLoop = Task.CompletedTask;

    private GearmanConnection(ServerAddress address, Socket socket, Stream stream, PacketLimits limits,
        Func<Packet, ValueTask> onPacket)
    {
        Address = address;
        _socket = socket;
        _stream = stream;
        _limits = limits;
        _onPacket = onPacket;
        _sendWork = new SendWork(this);
    }

    /// <summary>The server this connection talks to.</summary>
    public ServerAddress Address { get; }

    /// <summary>Completes when the connection is closed; faults with the reason when it broke.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>True until the connection broke or was closed.</summary>
    public bool IsOpen => !Completion.IsCompleted;

    /// <summary>
    /// Connects (with TLS when <paramref name="tls"/> is set and enabled; the handshake counts against the connect timeout)
    /// and starts the loops; <paramref name="onPacket"/> sees every packet the server sends, in order.
    /// </summary>
    public static async ValueTask<GearmanConnection> ConnectAsync(ServerAddress address, Func<Packet, ValueTask> onPacket,
        PacketLimits? limits = null, TimeSpan? connectTimeout = null, GearmanTlsOptions? tls = null,
        CancellationToken cancellationToken = default)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream stream;
        try
        {
            // A sleeping worker sends nothing until a NOOP comes: only probes find a server whose host died or rebooted.
            TcpKeepAlive.Enable(socket, TcpKeepAlive.DefaultIdle, TcpKeepAlive.DefaultInterval, TcpKeepAlive.DefaultProbes);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(connectTimeout ?? TimeSpan.FromSeconds(5));
            try
            {
                await socket.ConnectAsync(address.Host, address.Port, timeout.Token);
                stream = new NetworkStream(socket, ownsSocket: false);
                if (tls is { Enabled: true })
                    stream = await TlsClientHandshake.AuthenticateAsync(stream, address, tls, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new SocketException((int)SocketError.TimedOut);
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var connection = new GearmanConnection(address, socket, stream, limits ?? PacketLimits.Default, onPacket);
        connection.Start();
        return connection;
    }

    public ValueTask SendAsync(PacketType type, CancellationToken cancellationToken = default) =>
        SendAsync(type, 0, default, default, default, default, cancellationToken);

    /// <summary>Sends <paramref name="times"/> packets of an argument-less type in one write, such as a worker's grabs.</summary>
    public ValueTask SendAsync(PacketType type, int times, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(times);
        return SendAsync(type, 0, default, default, default, default, cancellationToken, repeat: times);
    }

    public ValueTask SendAsync(PacketType type, ReadOnlyMemory<byte> a, CancellationToken cancellationToken = default) =>
        SendAsync(type, 1, a, default, default, default, cancellationToken);

    public ValueTask SendAsync(PacketType type, ReadOnlyMemory<byte> a, ReadOnlyMemory<byte> b,
        CancellationToken cancellationToken = default) =>
        SendAsync(type, 2, a, b, default, default, cancellationToken);

    public ValueTask SendAsync(PacketType type, ReadOnlyMemory<byte> a, ReadOnlyMemory<byte> b, ReadOnlyMemory<byte> c,
        CancellationToken cancellationToken = default) =>
        SendAsync(type, 3, a, b, c, default, cancellationToken);

    public ValueTask SendAsync(PacketType type, ReadOnlyMemory<byte> a, ReadOnlyMemory<byte> b, ReadOnlyMemory<byte> c,
        ReadOnlyMemory<byte> d, CancellationToken cancellationToken = default) =>
        SendAsync(type, 4, a, b, c, d, cancellationToken);

    /// <summary>Sends a packet with any number of arguments (SUBMIT_JOB_SCHED, SUBMIT_REDUCE_JOB).</summary>
    public ValueTask SendAsync(PacketType type, ReadOnlyMemory<byte>[] arguments, CancellationToken cancellationToken = default) =>
        SendAsync(type, -1, default, default, default, default, cancellationToken, arguments);

    private ValueTask SendAsync(PacketType type, int count, ReadOnlyMemory<byte> a, ReadOnlyMemory<byte> b,
        ReadOnlyMemory<byte> c, ReadOnlyMemory<byte> d, CancellationToken cancellationToken, ReadOnlyMemory<byte>[]? many = null,
        int repeat = 1)
    {
        Task? room;
        lock (_sendGate)
        {
            Append(type, count, a.Span, b.Span, c.Span, d.Span, many, repeat);
            room = _pending.WrittenCount < PauseSendersAt ? null : (_room ??= NewRoom()).Task;
        }
        return room is null ? ValueTask.CompletedTask : new ValueTask(room.WaitAsync(cancellationToken));
    }

    /// <summary>
    /// Appends a packet to what the send task writes next without waiting for room, for an owner that must write in step
    /// with its own bookkeeping (a client matching in-order replies): call it under the owner's lock.
    /// </summary>
    internal void Send(PacketType type, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c, ReadOnlySpan<byte> d, int count)
    {
        lock (_sendGate)
            Append(type, count, a, b, c, d, null, 1);
    }

    /// <summary>Encodes into the pending buffer and makes sure a send task will write it. Call under <see cref="_sendGate"/>.</summary>
    private void Append(PacketType type, int count, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c,
        ReadOnlySpan<byte> d, ReadOnlyMemory<byte>[]? many, int repeat)
    {
        if (_sendClosed)
            throw new GearmanConnectionException(Address, "connection is closed", Completion.Exception?.InnerException);
        var w = _pending;
        switch (count)
        {
            case -1: PacketWriter.Write(w, PacketMagic.Request, type, many!); break;
            case 0:
                for (int i = 0; i < repeat; i++)
                    PacketWriter.Write(w, PacketMagic.Request, type);
                break;
            case 1: PacketWriter.Write(w, PacketMagic.Request, type, a); break;
            case 2: PacketWriter.Write(w, PacketMagic.Request, type, a, b); break;
            case 3: PacketWriter.Write(w, PacketMagic.Request, type, a, b, c); break;
            default: PacketWriter.Write(w, PacketMagic.Request, type, a, b, c, d); break;
        }
        if (_sending)
            return;
        _sending = true;
        ThreadPool.UnsafeQueueUserWorkItem(_sendWork, preferLocal: false);
    }

    private static TaskCompletionSource NewRoom() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Writes what senders appended until nothing is left, swapping buffers so senders keep appending meanwhile: a burst
    /// of sends from many threads becomes one write. One runs at a time; a sender that finds none running queues one.
    /// </summary>
    private async Task SendPendingAsync()
    {
        try
        {
            while (true)
            {
                ArrayBufferWriter<byte> batch;
                TaskCompletionSource? room = null;
                lock (_sendGate)
                {
                    if (_pending.WrittenCount == 0 || _sendClosed)
                    {
                        _sending = false;
                        return;
                    }
                    batch = _pending;
                    _pending = _spare;
                    _spare = batch;
                    if (_room is not null)
                        (room, _room) = (_room, null); // what they wait for is now in flight: the pending buffer is empty
                }
                room?.TrySetResult();
                await _stream.WriteAsync(batch.WrittenMemory, _closing.Token);
                batch.ResetWrittenCount();
                if (batch.Capacity > KeepBufferUpTo)
                    _spare = new ArrayBufferWriter<byte>(InitialBuffer); // one big payload does not pin its buffer for ever
            }
        }
        catch (Exception e)
        {
            _sendFailed.TrySetException(e);
        }
    }

    private void Start()
    {
        _readLoop = Task.Run(ReadLoopAsync);
        Completion = Task.WhenAny(_readLoop, _sendFailed.Task).Unwrap().ContinueWith(async first =>
        {
            await _closing.CancelAsync();
            CloseSending(first.Exception?.InnerException);
            try { _socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
            _socket.Dispose();
            await _readLoop.ContinueWith(_ => { }, TaskScheduler.Default);
            if (first.IsFaulted && first.Exception!.InnerException is not OperationCanceledException)
                throw new GearmanConnectionException(Address, first.Exception.InnerException!.Message, first.Exception.InnerException);
        }, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Refuses further sends and fails the senders waiting for room; what is pending is dropped.</summary>
    private void CloseSending(Exception? reason)
    {
        TaskCompletionSource? room;
        lock (_sendGate)
        {
            _sendClosed = true;
            (room, _room) = (_room, null);
        }
        room?.TrySetException(new GearmanConnectionException(Address, "connection is closed", reason));
    }

    private async Task ReadLoopAsync()
    {
        var reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(_closing.Token);
                var buffer = result.Buffer;
                while (PacketReader.TryRead(ref buffer, PacketMagic.Response, _limits, out var packet))
                    await _onPacket(packet);
                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    if (!buffer.IsEmpty)
                        throw new GearmanProtocolException(ProtocolError.InvalidPacket, "server closed the connection mid-packet");
                    throw new GearmanConnectionException(Address, "server closed the connection");
                }
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private sealed class SendWork(GearmanConnection connection) : IThreadPoolWorkItem
    {
        public void Execute() => _ = connection.SendPendingAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        try
        {
            await Completion;
        }
        catch (Exception e) when (e is GearmanConnectionException or GearmanProtocolException or OperationCanceledException)
        {
            // the owner learned about the failure through Completion already
        }
        _stream.Dispose();
        _closing.Dispose();
    }
}
