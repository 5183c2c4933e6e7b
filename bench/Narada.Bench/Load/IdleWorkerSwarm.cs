using System.Buffers;
using System.Net.Sockets;
using Narada.Gearman.Protocol;
using Narada.Gearman.Transport;

namespace Narada.Bench.Load;

/// <summary>
/// Thousands of minimal workers on raw sockets: each says CAN_DO and PRE_SLEEP, and then follows the protocol like a
/// libgearman worker (NOOP → GRAB_JOB, NO_JOB → PRE_SLEEP, JOB_ASSIGN → WORK_COMPLETE with the payload → GRAB_JOB).
/// </summary>
public sealed class IdleWorkerSwarm : IAsyncDisposable
{
    private readonly List<Socket> _sockets = [];
    private readonly List<Task> _loops = [];
    private readonly CancellationTokenSource _stop = new();
    private long _wakeUps;
    private long _jobsDone;
    private int _asleep;

    /// <summary>NOOPs received across the swarm: how many sleepers the server woke.</summary>
    public long WakeUps => Interlocked.Read(ref _wakeUps);

    public long JobsDone => Interlocked.Read(ref _jobsDone);

    public int Count { get { lock (_sockets) return _sockets.Count; } }

    /// <summary>Workers whose last word was PRE_SLEEP.</summary>
    public int Asleep => Volatile.Read(ref _asleep);

    /// <summary>Connects <paramref name="count"/> workers for <paramref name="function"/>, a few connects at a time.</summary>
    public static async Task<IdleWorkerSwarm> ConnectAsync(ServerAddress server, string function, int count, int parallelConnects = 32)
    {
        var swarm = new IdleWorkerSwarm();
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
        bool asleep = true;
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
                    Answer(packet, output, ref asleep);
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

    private void Answer(Packet packet, ArrayBufferWriter<byte> output, ref bool asleep)
    {
        switch (packet.Type)
        {
            case PacketType.Noop:
                Interlocked.Increment(ref _wakeUps);
                if (asleep)
                {
                    asleep = false;
                    Interlocked.Decrement(ref _asleep);
                }
                PacketWriter.Write(output, PacketMagic.Request, PacketType.GrabJob);
                break;
            case PacketType.NoJob:
                PacketWriter.Write(output, PacketMagic.Request, PacketType.PreSleep);
                if (!asleep)
                {
                    asleep = true;
                    Interlocked.Increment(ref _asleep);
                }
                break;
            case PacketType.JobAssign:
                // JOB_ASSIGN: handle, function, payload; the echo answer carries the payload back
                PacketWriter.Write(output, PacketMagic.Request, PacketType.WorkComplete, packet.Argument(0).Span, packet.Argument(2).Span);
                PacketWriter.Write(output, PacketMagic.Request, PacketType.GrabJob);
                Interlocked.Increment(ref _jobsDone);
                break;
        }
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
