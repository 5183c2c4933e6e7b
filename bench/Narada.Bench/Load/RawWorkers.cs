using System.Buffers;
using System.Net.Sockets;
using Narada.Gearman.Protocol;
using Narada.Gearman.Transport;

namespace Narada.Bench.Load;

/// <summary>
/// Minimal workers on raw sockets, from a few (a lean load generator) to thousands (idle crowds): each says CAN_DO and
/// PRE_SLEEP, then follows the protocol like a libgearman worker (NOOP → GRAB_JOB, NO_JOB → PRE_SLEEP,
/// JOB_ASSIGN → WORK_COMPLETE with the payload → GRAB_JOB).
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
        int parallelConnects = 32)
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
                        await socket.ConnectAsync(server.Host, server.Port);
                        await socket.SendAsync(helloBytes);
                        Interlocked.Increment(ref swarm._asleep);
                        lock (swarm._sockets)
                        {
                            swarm._sockets.Add(socket);
                            swarm._loops.Add(swarm.ServeAsync(socket));
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
        var buffer = new byte[4096];
        int filled = 0;
        var output = new ArrayBufferWriter<byte>(256);
        var state = new ConnectionState { Asleep = true };
        try
        {
            while (!token.IsCancellationRequested)
            {
                int n = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, token);
                if (n == 0)
                    return;
                filled += n;
                var sequence = new ReadOnlySequence<byte>(buffer, 0, filled);
                output.Clear();
                while (PacketReader.TryRead(ref sequence, PacketMagic.Response, PacketLimits.Default, out var packet))
                    Answer(packet, output, ref state);
                int left = (int)sequence.Length;
                buffer.AsSpan(filled - left, left).CopyTo(buffer);
                filled = left;
                if (filled == buffer.Length)
                    Array.Resize(ref buffer, buffer.Length * 2);
                if (output.WrittenCount > 0)
                    await socket.SendAsync(output.WrittenMemory, SocketFlags.None, token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // the swarm is being torn down, or the server went away
        }
    }

    private struct ConnectionState
    {
        public bool Asleep;
        public int Grabs;
    }

    private void Answer(Packet packet, ArrayBufferWriter<byte> output, ref ConnectionState state)
    {
        switch (packet.Type)
        {
            case PacketType.Noop:
                Interlocked.Increment(ref _wakeUps);
                if (state.Asleep)
                {
                    state.Asleep = false;
                    Interlocked.Decrement(ref _asleep);
                }
                TopUpGrabs(output, ref state);
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
                TopUpGrabs(output, ref state);
                break;
        }
    }

    private void TopUpGrabs(ArrayBufferWriter<byte> output, ref ConnectionState state)
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
