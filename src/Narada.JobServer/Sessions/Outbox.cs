using System.Buffers;
using System.Net.Sockets;
using System.Threading.Channels;
using Narada.Gearman.Protocol;

namespace Narada.JobServer.Sessions;

/// <summary>
/// A connection's outgoing bytes. The engine frames packets into it from under its lock without ever blocking; a send
/// loop drains it to the socket. Replies that must wait (JOB_CREATED after a durable write) hold back everything queued
/// after them so a connection sees its packets in order. A peer that lets more than the limit pile up is cut off.
/// One send at a time owns the socket: either the send loop or, after a <see cref="SendBatch"/>, the thread that
/// handled the packets.
/// </summary>
internal sealed class Outbox
{
    private readonly Lock _gate = new();
    private readonly Socket _socket;
    private readonly Stream? _tls;
    private readonly int _limit;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });
    private readonly Queue<Deferred> _deferred = new();
    private ArrayBufferWriter<byte> _pending = new(256);
    private ArrayBufferWriter<byte> _sending = new(256);
    private bool _closeWhenFlushed;
    private bool _busy;
    private bool _inBatch;
    private bool _overflowed;

    public Outbox(Socket socket, int limit, Stream? tls = null)
    {
        _socket = socket;
        _tls = tls;
        _limit = limit;
    }

    /// <summary>True once the peer stopped reading long enough to exceed the limit; the connection is being dropped.</summary>
    public bool Overflowed { get { lock (_gate) return _overflowed; } }

    public void Send(PacketType type, params ReadOnlySpan<ReadOnlyMemory<byte>> arguments)
    {
        lock (_gate)
        {
            if (_deferred.Count > 0)
            {
                _deferred.Enqueue(new Deferred(Task.CompletedTask, PacketWriter.ToArray(PacketMagic.Response, type, arguments), null));
                return;
            }
            if (!CanAppend())
                return;
            PacketWriter.Write(_pending, PacketMagic.Response, type, arguments);
            if (SendBatch.IsOpen)
            {
                if (!_inBatch)
                {
                    _inBatch = true;
                    SendBatch.Add(this);
                }
                return;
            }
        }
        _wake.Writer.TryWrite(true);
    }

    /// <summary>Raw bytes (text admin replies).</summary>
    public void SendRaw(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            if (!CanAppend())
                return;
            _pending.Write(bytes);
        }
        _wake.Writer.TryWrite(true);
    }

    /// <summary>Sends <paramref name="onSuccess"/> once <paramref name="barrier"/> completes, or <paramref name="onFailure"/> if it faults; later packets wait behind it.</summary>
    public void SendAfter(Task barrier, byte[] onSuccess, byte[] onFailure)
    {
        lock (_gate)
        {
            _deferred.Enqueue(new Deferred(barrier, onSuccess, onFailure));
            if (_deferred.Count > 1)
                return;
        }
        barrier.ContinueWith(static (_, state) => ((Outbox)state!).Release(), this, TaskScheduler.Default);
    }

    /// <summary>Flushes what is queued, then shuts the sending side down.</summary>
    public void CloseWhenFlushed()
    {
        lock (_gate)
            _closeWhenFlushed = true;
        _wake.Writer.TryWrite(true);
    }

    /// <summary>Stops the send loop without flushing.</summary>
    public void Abort() => _wake.Writer.TryComplete();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await _wake.Reader.WaitToReadAsync(cancellationToken))
            {
                _wake.Reader.TryRead(out _);
                while (true)
                {
                    ReadOnlyMemory<byte> bytes;
                    lock (_gate)
                    {
                        if (_busy)
                            break; // an inline send owns the socket and wakes this loop when it is done
                        if (!TryBeginSend(out bytes))
                        {
                            if (_closeWhenFlushed && _deferred.Count == 0)
                                return;
                            break;
                        }
                    }
                    if (_tls is not null)
                        await _tls.WriteAsync(bytes, cancellationToken);
                    else
                        await SendAllAsync(bytes, cancellationToken);
                    lock (_gate)
                        EndSend();
                }
            }
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // the peer is gone or the server is stopping; the read side cleans up
        }
        finally
        {
            // FIN after the last byte; the connection closes the socket once the peer had a chance to read it.
            try { _socket.Shutdown(SocketShutdown.Send); } catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        }
    }

    /// <summary>
    /// Sends what a <see cref="SendBatch"/> queued from the calling thread. Loopback and LAN sends nearly always complete
    /// at once; one that cannot is finished asynchronously and then hands over to the send loop.
    /// </summary>
    internal void FlushInline()
    {
        ReadOnlyMemory<byte> bytes;
        lock (_gate)
        {
            _inBatch = false;
            // TLS keeps to its loop: SslStream writes are not worth the extra care for the few TLS peers.
            if (_tls is not null || _busy || !TryBeginSend(out bytes))
            {
                if (_tls is not null)
                    _wake.Writer.TryWrite(true);
                return;
            }
        }
        while (true)
        {
            try
            {
                var sending = SendAllAsync(bytes, CancellationToken.None);
                if (!sending.IsCompleted)
                {
                    // the peer's window is full: the rest goes out asynchronously, which then ends this send
                    _ = FinishInlineAsync(sending);
                    return;
                }
                sending.GetAwaiter().GetResult();
            }
            catch (Exception)
            {
                // Whatever the failure, it is this connection's alone: it stops sending, and the thread (an event loop
                // serving others) goes on. The read side sees the broken socket and cleans up.
                Abort();
                return;
            }
            lock (_gate)
            {
                EndSend();
                if (!TryBeginSend(out bytes))
                {
                    if (_closeWhenFlushed)
                        _wake.Writer.TryWrite(true);
                    return;
                }
            }
        }
    }

    /// <summary>What a non-blocking socket takes of <paramref name="bytes"/> right now (0 when its window is full).</summary>
    private int SendWithoutWaiting(ReadOnlySpan<byte> bytes)
    {
        int sent = _socket.Send(bytes, SocketFlags.None, out var error);
        if (error is not (SocketError.Success or SocketError.WouldBlock))
            throw new SocketException((int)error);
        return Math.Max(sent, 0);
    }

    /// <summary>
    /// Writes <paramref name="bytes"/>; completes at once when the socket takes them at once. A non-blocking socket (an
    /// event loop's) is written directly, so it does not join the runtime's own epoll set, whose wake-ups for every
    /// incoming segment would each cost a thread-pool hop; it only does for the rest when a peer's window is full.
    /// </summary>
    private async ValueTask SendAllAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (!_socket.Blocking)
            bytes = bytes[SendWithoutWaiting(bytes.Span)..];
        if (!bytes.IsEmpty)
            await _socket.SendAsync(bytes, SocketFlags.None, cancellationToken);
    }

    private async Task FinishInlineAsync(ValueTask sending)
    {
        try
        {
            await sending;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Abort();
            return;
        }
        lock (_gate)
            EndSend();
        _wake.Writer.TryWrite(true);
    }

    /// <summary>Under the gate: takes everything pending for one send, unless there is nothing or a send is under way.</summary>
    private bool TryBeginSend(out ReadOnlyMemory<byte> bytes)
    {
        bytes = default;
        if (_busy || _pending.WrittenCount == 0)
            return false;
        (_pending, _sending) = (_sending, _pending);
        _busy = true;
        bytes = _sending.WrittenMemory;
        return true;
    }

    /// <summary>Under the gate: the send finished.</summary>
    private void EndSend()
    {
        // Do not keep a huge buffer alive for an idle connection after one big reply.
        if (_sending.Capacity > 1 << 20)
            _sending = new ArrayBufferWriter<byte>(256);
        else
            _sending.ResetWrittenCount();
        _busy = false;
    }

    private bool CanAppend()
    {
        if (_overflowed)
            return false;
        // One big packet is fine; what is refused is a peer that keeps more than the limit unread.
        if (_pending.WrittenCount > _limit)
        {
            _overflowed = true;
            _wake.Writer.TryComplete();
            // Shut down, not closed: the reading side (an event loop or an async session) sees the end of the
            // connection and tears it down as usual; a closed socket would leave an event loop nothing to notice.
            try { _socket.Shutdown(SocketShutdown.Both); } catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
            return false;
        }
        return true;
    }

    private void Release()
    {
        Task? next = null;
        lock (_gate)
        {
            while (_deferred.Count > 0 && _deferred.Peek().Barrier.IsCompleted)
            {
                var d = _deferred.Dequeue();
                var bytes = d.Barrier.IsCompletedSuccessfully || d.OnFailure is null ? d.OnSuccess : d.OnFailure;
                if (CanAppend())
                    _pending.Write(bytes);
            }
            if (_deferred.Count > 0)
                next = _deferred.Peek().Barrier;
        }
        next?.ContinueWith(static (_, state) => ((Outbox)state!).Release(), this, TaskScheduler.Default);
        _wake.Writer.TryWrite(true);
    }

    private readonly record struct Deferred(Task Barrier, byte[] OnSuccess, byte[]? OnFailure);
}
