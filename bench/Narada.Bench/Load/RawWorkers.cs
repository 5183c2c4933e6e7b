using System.Buffers;
using System.Net.Sockets;
using Narada.Gearman.Protocol;
using Narada.Gearman.Transport;

namespace Narada.Bench.Load;

/// <summary>
/// Minimal workers on raw sockets, from a few (a lean load generator) to thousands (idle crowds): each says CAN_DO and
/// PRE_SLEEP, then follows the protocol like a libgearman worker (NOOP → GRAB_JOB, NO_JOB → PRE_SLEEP,
/// JOB_ASSIGN → WORK_COMPLETE with the payload → GRAB_JOB). A crowd is served with async receives; a few busy
/// connections can each have a thread of its own that blocks in receive, which costs the least CPU per job (no hop
/// through the runtime's epoll thread and thread pool), so more of the machine is left to the server under test.
/// </summary>
public sealed class RawWorkers : IAsyncDisposable
{
    private readonly List<Socket> _sockets = [];
    private readonly List<Task> _loops = [];
    private readonly CancellationTokenSource _stop = new();
    private long _wakeUps;
    private long _jobsDone;
    private int _asleep;
    private int _grabsPerConnection = 1;

    /// <summary>NOOPs received across the swarm: how many sleepers the server woke.</summary>
    public long WakeUps => Interlocked.Read(ref _wakeUps);

    public long JobsDone => Interlocked.Read(ref _jobsDone);

    public int Count { get { lock (_sockets) return _sockets.Count; } }

    /// <summary>Workers whose last word was PRE_SLEEP.</summary>
    public int Asleep => Volatile.Read(ref _asleep);

    /// <summary>Connects <paramref name="count"/> workers for <paramref name="function"/>, a few connects at a time.</summary>
    /// <remarks>
    /// Each connection keeps up to <paramref name="grabsPerConnection"/> GRAB_JOBs outstanding while there is work, as a
    /// worker running that many jobs at once on one connection does; it sleeps when every grab came back NO_JOB.
    /// </remarks>
    public static async Task<RawWorkers> ConnectAsync(ServerAddress server, string function, int count, int grabsPerConnection = 1,
        int parallelConnects = 32, bool dedicatedThreads = false)
    {
        var swarm = new RawWorkers { _grabsPerConnection = grabsPerConnection };
        var hello = new ArrayBufferWriter<byte>();
        PacketWriter.Write(hello, PacketMagic.Request, PacketType.CanDo, System.Text.Encoding.UTF8.GetBytes(function));
        PacketWriter.Write(hello, PacketMagic.Request, PacketType.PreSleep);
        var helloBytes = hello.WrittenMemory;
        using var gate = new SemaphoreSlim(parallelConnects);
        var connects = new List<Task>(count);
        try
        {
            for (int i = 0; i < count; i++)
            {
                await gate.WaitAsync();
                connects.Add(Task.Run(async () =>
                {
                    try
                    {
                        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                        if (dedicatedThreads)
                        {
                            // Synchronous calls only: one async call would make the runtime switch the descriptor to
                            // non-blocking and emulate every later blocking call through its epoll thread.
                            socket.Connect(server.Host, server.Port);
                            socket.Send(helloBytes.Span);
                        }
                        else
                        {
                            await socket.ConnectAsync(server.Host, server.Port);
                            await socket.SendAsync(helloBytes);
                        }
                        Interlocked.Increment(ref swarm._asleep);
                        lock (swarm._sockets)
                        {
                            swarm._sockets.Add(socket);
                            swarm._loops.Add(dedicatedThreads ? swarm.ServeOnThread(socket) : swarm.ServeAsync(socket));
                        }
                    }
                    finally
                    {
                        gate.Release();
                    }
                }));
            }
            await Task.WhenAll(connects);
            return swarm;
        }
        catch
        {
            await Task.WhenAll(connects).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await swarm.DisposeAsync();
            throw;
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        var token = _stop.Token;
        var connection = new ConnectionState();
        try
        {
            while (!token.IsCancellationRequested)
            {
                int n = await socket.ReceiveAsync(connection.Free, SocketFlags.None, token);
                if (n == 0)
                    return;
                if (AnswerReceived(connection, n) is { IsEmpty: false } output)
                    await socket.SendAsync(output, SocketFlags.None, token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // the swarm is being torn down, or the server went away
        }
    }

    /// <summary>The same as <see cref="ServeAsync"/> with blocking calls on a thread of its own.</summary>
    private Task ServeOnThread(Socket socket) => DedicatedThread.Run("raw-worker", () =>
    {
        var connection = new ConnectionState();
        try
        {
            int n;
            while (!_stop.IsCancellationRequested && (n = socket.Receive(connection.Free.Span)) > 0)
            {
                if (AnswerReceived(connection, n) is { IsEmpty: false } output)
                    socket.Send(output.Span);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // the swarm is being torn down, or the server went away
        }
        return true;
    });

    /// <summary>One connection's read buffer, replies and protocol state.</summary>
    private sealed class ConnectionState
    {
        public byte[] Buffer = new byte[4096];
        public int Filled;
        public readonly ArrayBufferWriter<byte> Output = new(256);
        public bool Asleep = true;
        public int Grabs;

        public Memory<byte> Free => Buffer.AsMemory(Filled);
    }

    /// <summary>Answers every whole packet of the <paramref name="received"/> new bytes; returns what to send back.</summary>
    private ReadOnlyMemory<byte> AnswerReceived(ConnectionState connection, int received)
    {
        connection.Filled += received;
        var sequence = new ReadOnlySequence<byte>(connection.Buffer, 0, connection.Filled);
        connection.Output.Clear();
        // answered at once, so the packets may borrow the buffer
        while (PacketReader.TryReadBorrowed(ref sequence, PacketMagic.Response, PacketLimits.Default, out var packet))
            Answer(packet, connection);
        int left = (int)sequence.Length;
        connection.Buffer.AsSpan(connection.Filled - left, left).CopyTo(connection.Buffer);
        connection.Filled = left;
        if (connection.Filled == connection.Buffer.Length)
            Array.Resize(ref connection.Buffer, connection.Buffer.Length * 2);
        return connection.Output.WrittenMemory;
    }

    private void Answer(in Packet packet, ConnectionState state)
    {
        var output = state.Output;
        switch (packet.Type)
        {
            case PacketType.Noop:
                Interlocked.Increment(ref _wakeUps);
                if (state.Asleep)
                {
                    state.Asleep = false;
                    Interlocked.Decrement(ref _asleep);
                }
                TopUpGrabs(output, state);
                break;
            case PacketType.NoJob:
                if (--state.Grabs == 0)
                {
                    PacketWriter.Write(output, PacketMagic.Request, PacketType.PreSleep);
                    state.Asleep = true;
                    Interlocked.Increment(ref _asleep);
                }
                break;
            case PacketType.JobAssign:
                // JOB_ASSIGN: handle, function, payload; the echo answer carries the payload back
                PacketWriter.Write(output, PacketMagic.Request, PacketType.WorkComplete, packet.Argument(0).Span, packet.Argument(2).Span);
                Interlocked.Increment(ref _jobsDone);
                state.Grabs--;
                TopUpGrabs(output, state);
                break;
        }
    }

    private void TopUpGrabs(ArrayBufferWriter<byte> output, ConnectionState state)
    {
        for (; state.Grabs < _grabsPerConnection; state.Grabs++)
            PacketWriter.Write(output, PacketMagic.Request, PacketType.GrabJob);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        Socket[] sockets;
        Task[] loops;
        lock (_sockets)
        {
            sockets = [.. _sockets];
            loops = [.. _loops];
        }
        foreach (var s in sockets)
            s.Dispose();
        await Task.WhenAll(loops).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }
}
