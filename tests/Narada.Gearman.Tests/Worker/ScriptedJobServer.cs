using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Narada.Gearman.Protocol;

namespace Narada.Gearman.Tests.Worker;

/// <summary>
/// A one-connection job server whose answers a test scripts, for packet orders stock gearmand cannot be made to
/// produce on demand (a NOOP overtaking a grab's reply). Records every request it reads.
/// </summary>
internal sealed class ScriptedJobServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<Packet, int, byte[][]> _script;
    private readonly List<Packet> _received = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;
    private readonly TaskCompletionSource<NetworkStream> _stream = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="script">Given each request and how many of its type came before, returns the packets to answer with.</param>
    public ScriptedJobServer(Func<Packet, int, byte[][]> script)
    {
        _script = script;
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public PacketType[] ReceivedTypes
    {
        get { lock (_received) return _received.Select(p => p.Type).ToArray(); }
    }

    public static byte[] Response(PacketType type, params string[] arguments) =>
        PacketWriter.ToArray(PacketMagic.Response, type,
            arguments.Select(a => (ReadOnlyMemory<byte>)System.Text.Encoding.UTF8.GetBytes(a)).ToArray());

    /// <summary>Sends a packet unprompted (only while the worker is quiet, so it cannot interleave with a scripted answer).</summary>
    public async Task PushAsync(byte[] packet) => await (await _stream.Task).WriteAsync(packet, _stop.Token);

    private async Task ServeAsync()
    {
        using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
        var stream = client.GetStream();
        _stream.TrySetResult(stream);
        var pending = new ArrayBufferWriter<byte>();
        var counts = new Dictionary<PacketType, int>();
        var chunk = new byte[4096];
        while (true)
        {
            int n = await stream.ReadAsync(chunk, _stop.Token);
            if (n == 0)
                return;
            pending.Write(chunk.AsSpan(0, n));
            var buffer = new ReadOnlySequence<byte>(pending.WrittenMemory);
            int consumed = 0;
            while (PacketReader.TryRead(ref buffer, PacketMagic.Request, PacketLimits.Default, out var packet))
            {
                consumed = (int)(pending.WrittenCount - buffer.Length);
                lock (_received)
                    _received.Add(packet);
                int seen = counts.GetValueOrDefault(packet.Type);
                counts[packet.Type] = seen + 1;
                foreach (var reply in _script(packet, seen))
                    await stream.WriteAsync(reply, _stop.Token);
            }
            var rest = pending.WrittenSpan[consumed..].ToArray();
            pending.Clear();
            pending.Write(rest);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _serving;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
        }
        _stop.Dispose();
    }
}
