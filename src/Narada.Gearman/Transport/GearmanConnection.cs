using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Narada.Gearman.Protocol;
using Narada.Gearman.Tls;

namespace Narada.Gearman.Transport;

/// <summary>
/// One TCP connection from a client or worker to a job server. A read loop hands every response packet, in order, to
/// the owner's handler; sends from any thread are framed into an in-memory pipe that a send loop drains to the socket,
/// so concurrent senders share system calls.
/// </summary>
public sealed class GearmanConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly Pipe _outgoing = new(new PipeOptions(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19,
        useSynchronizationContext: false));
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private readonly Func<Packet, ValueTask> _onPacket;
    private readonly PacketLimits _limits;
    private Task _readLoop = Task.CompletedTask;
    private Task _sendLoop = Task.CompletedTask;

    private GearmanConnection(ServerAddress address, Socket socket, Stream stream, PacketLimits limits,
        Func<Packet, ValueTask> onPacket)
    {
        Address = address;
        _socket = socket;
        _stream = stream;
        _limits = limits;
        _onPacket = onPacket;
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
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
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

    private async ValueTask SendAsync(PacketType type, int count, ReadOnlyMemory<byte> a, ReadOnlyMemory<byte> b,
        ReadOnlyMemory<byte> c, ReadOnlyMemory<byte> d, CancellationToken cancellationToken, ReadOnlyMemory<byte>[]? many = null,
        int repeat = 1)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            ThrowIfClosed();
            var w = _outgoing.Writer;
            switch (count)
            {
                case -1: PacketWriter.Write(w, PacketMagic.Request, type, many!); break;
                case 0:
                    for (int i = 0; i < repeat; i++)
                        PacketWriter.Write(w, PacketMagic.Request, type);
                    break;
                case 1: PacketWriter.Write(w, PacketMagic.Request, type, a.Span); break;
                case 2: PacketWriter.Write(w, PacketMagic.Request, type, a.Span, b.Span); break;
                case 3: PacketWriter.Write(w, PacketMagic.Request, type, a.Span, b.Span, c.Span); break;
                default: PacketWriter.Write(w, PacketMagic.Request, type, a.Span, b.Span, c.Span, d.Span); break;
            }
            if ((await w.FlushAsync(cancellationToken)).IsCompleted)
                throw new GearmanConnectionException(Address, "connection is closed"); // the send loop is gone
        }
        catch (InvalidOperationException e) when (_closing.IsCancellationRequested)
        {
            // The connection broke between the check above and the write: the closing path completed the pipe.
            // Callers see the same connection error as any other send on a dead connection.
            throw new GearmanConnectionException(Address, "connection is closed", e);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private void ThrowIfClosed()
    {
        if (!IsOpen || _closing.IsCancellationRequested)
            throw new GearmanConnectionException(Address, "connection is closed", Completion.Exception?.InnerException);
    }

    private void Start()
    {
        _readLoop = Task.Run(ReadLoopAsync);
        _sendLoop = Task.Run(SendLoopAsync);
        Completion = Task.WhenAny(_readLoop, _sendLoop).Unwrap().ContinueWith(async first =>
        {
            await _closing.CancelAsync();
            await CompleteOutgoingAsync();
            try { _socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
            _socket.Dispose();
            await Task.WhenAll(_readLoop, _sendLoop).ContinueWith(_ => { }, TaskScheduler.Default);
            if (first.IsFaulted && first.Exception!.InnerException is not OperationCanceledException)
                throw new GearmanConnectionException(Address, first.Exception.InnerException!.Message, first.Exception.InnerException);
        }, TaskScheduler.Default).Unwrap();
    }

    /// <summary>
    /// Completes the send pipe under the send lock. Senders write into the pipe under that lock, and a pipe is not safe
    /// for concurrent use: completed under a sender's feet, it hands back the buffer being written (seen as "Destination
    /// is too short" from a sender racing a dying server). A sender that holds the lock while it waits for room is
    /// released when the send loop, cancelled just before, completes the reading side.
    /// </summary>
    private async Task CompleteOutgoingAsync()
    {
        await _sendLock.WaitAsync();
        try
        {
            _outgoing.Writer.Complete();
        }
        finally
        {
            _sendLock.Release();
        }
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

    private async Task SendLoopAsync()
    {
        var reader = _outgoing.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(_closing.Token);
                foreach (var segment in result.Buffer)
                    await _stream.WriteAsync(segment, _closing.Token);
                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                    return;
            }
        }
        finally
        {
            // A sender waiting for room in a full pipe would otherwise wait for ever once this loop is gone.
            await reader.CompleteAsync();
        }
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
        _sendLock.Dispose();
        _closing.Dispose();
    }
}
