using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Narada.Gearman.Protocol;
using Narada.Gearman.Transport;

namespace Narada.Bench.Load;

/// <summary>
/// A lean pipelined load generator on one raw socket: pre-encoded SUBMIT_JOB packets, a fixed number of foreground jobs
/// in flight, each WORK_COMPLETE answered by the next submit. It runs on a thread of its own that blocks in receive
/// (no hop through the runtime's epoll thread and thread pool) and reads packets in place, so it spends far less CPU
/// per job than a full client and on a small machine more of it is left to the job server under test.
/// </summary>
public static class RawPipelinedClient
{
    /// <summary>Keeps <paramref name="inFlight"/> echo jobs outstanding for <paramref name="duration"/>.</summary>
    public static Task<Measurement> RunAsync(ServerAddress server, string function, int payloadBytes, int inFlight, TimeSpan duration) =>
        DedicatedThread.Run("raw-client", () => Run(server, function, payloadBytes, inFlight, duration));

    private static Measurement Run(ServerAddress server, string function, int payloadBytes, int inFlight, TimeSpan duration)
    {
        var payload = new byte[payloadBytes];
        Array.Fill(payload, (byte)'x');
        var submit = PacketWriter.ToArray(PacketMagic.Request, PacketType.SubmitJob, Encoding.UTF8.GetBytes(function), Array.Empty<byte>(), payload);

        // Synchronous calls only: one async call would make the runtime emulate blocking ones through its epoll thread.
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(server.Host, server.Port);
        // submit times wait here until JOB_CREATED (in order) names their handle; then they wait by handle
        var awaitingHandle = new Queue<long>(inFlight);
        var running = new Dictionary<long, long>(inFlight);
        var latency = new LatencySample();
        var mine = new List<long>(1 << 20);
        var output = new ArrayBufferWriter<byte>(submit.Length * inFlight);
        long end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var clock = Stopwatch.StartNew();

        long now = Stopwatch.GetTimestamp();
        for (int i = 0; i < inFlight; i++)
        {
            output.Write(submit);
            awaitingHandle.Enqueue(now);
        }
        socket.Send(output.WrittenSpan);

        var buffer = new byte[64 * 1024];
        int filled = 0;
        int outstanding = inFlight;
        while (outstanding > 0)
        {
            int n = socket.Receive(buffer.AsSpan(filled));
            if (n == 0)
                throw new InvalidOperationException($"{server} closed the connection with {outstanding} jobs in flight");
            filled += n;
            var sequence = new ReadOnlySequence<byte>(buffer, 0, filled);
            output.Clear();
            now = Stopwatch.GetTimestamp();
            bool more = now < end;
            // each packet is done with before the next read, so they may borrow the buffer
            while (PacketReader.TryReadBorrowed(ref sequence, PacketMagic.Response, PacketLimits.Default, out var packet))
            {
                switch (packet.Type)
                {
                    case PacketType.JobCreated:
                        running.Add(HandleNumber(packet.Argument(0).Span), awaitingHandle.Dequeue());
                        break;
                    case PacketType.WorkComplete:
                        if (!running.Remove(HandleNumber(packet.Argument(0).Span), out long started))
                            throw new InvalidOperationException($"{server} completed {packet.ArgumentString(0)}, which this client never saw created");
                        mine.Add((now - started) * 1_000_000 / Stopwatch.Frequency);
                        if (more)
                        {
                            output.Write(submit);
                            awaitingHandle.Enqueue(now);
                        }
                        else
                        {
                            outstanding--;
                        }
                        break;
                    case PacketType.Error or PacketType.WorkFail or PacketType.WorkException:
                        throw new InvalidOperationException($"{server} answered {packet.Type}: {packet.ArgumentString(packet.ArgumentCount - 1)}");
                }
            }
            int left = (int)sequence.Length;
            buffer.AsSpan(filled - left, left).CopyTo(buffer);
            filled = left;
            if (filled == buffer.Length)
                Array.Resize(ref buffer, buffer.Length * 2);
            if (output.WrittenCount > 0)
                socket.Send(output.WrittenSpan);
        }
        latency.AddRange(mine);
        return new Measurement(mine.Count, clock.Elapsed.TotalSeconds, latency);
    }

    /// <summary>The counter at the end of a handle such as <c>H:host:42</c> (gearmand's and Narada's form).</summary>
    private static long HandleNumber(ReadOnlySpan<byte> handle)
    {
        int colon = handle.LastIndexOf((byte)':');
        if (!Utf8Parser.TryParse(handle[(colon + 1)..], out long number, out int used) || used != handle.Length - colon - 1)
            throw new InvalidOperationException($"handle '{Encoding.UTF8.GetString(handle)}' does not end in a number");
        return number;
    }
}
