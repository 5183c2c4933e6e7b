using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using Narada.Gearman.Protocol;

namespace Narada.JobServer.Tests.Support;

/// <summary>A bare TCP connection to a job server: frames built by hand, packets read with the codec, text admin lines.</summary>
public sealed class RawConnection : IAsyncDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
    private readonly Socket _socket;
    private readonly PipeReader _reader;

    private RawConnection(Socket socket)
    {
        _socket = socket;
        _reader = PipeReader.Create(new NetworkStream(socket, ownsSocket: false));
    }

    public Socket Socket => _socket;

    public static async Task<RawConnection> ConnectAsync(int port, int receiveBuffer = 0)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (receiveBuffer > 0)
            socket.ReceiveBufferSize = receiveBuffer;
        await socket.ConnectAsync("127.0.0.1", port);
        return new RawConnection(socket);
    }

    public Task SendAsync(PacketType type, params string[] arguments) =>
        SendBytesAsync(PacketWriter.ToArray(PacketMagic.Request, type,
            arguments.Select(a => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(a)).ToArray()));

    public async Task SendBytesAsync(ReadOnlyMemory<byte> bytes) => await _socket.SendAsync(bytes, SocketFlags.None);

    /// <summary>The next packet from the server; fails the test if none arrives in time or the server closed.</summary>
    public async Task<Packet> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (true)
        {
            var result = await _reader.ReadAsync(cts.Token);
            var buffer = result.Buffer;
            if (PacketReader.TryRead(ref buffer, PacketMagic.Response, PacketLimits.Default, out var packet))
            {
                _reader.AdvanceTo(buffer.Start);
                return packet;
            }
            _reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
                throw new EndOfStreamException("the server closed the connection");
        }
    }

    /// <summary>The next packet, which must be of <paramref name="type"/>; returns its arguments as strings.</summary>
    public async Task<string[]> ExpectAsync(PacketType type, TimeSpan? timeout = null)
    {
        var packet = await ReceiveAsync(timeout);
        var args = Enumerable.Range(0, packet.ArgumentCount).Select(packet.ArgumentString).ToArray();
        Assert.True(packet.Type == type, $"expected {type}, got {packet.Type} [{string.Join(" | ", args)}]");
        return args;
    }

    /// <summary>True once the server closed the connection (after any packets still in flight, which are discarded).</summary>
    public async Task<bool> IsClosedByServerAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            while (true)
            {
                var result = await _reader.ReadAsync(cts.Token);
                _reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                    return true;
            }
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Sends a text admin command and reads the reply: through the <c>.</c> line for listings, else one line.</summary>
    public async Task<string> AdminAsync(string command, bool listing)
    {
        await SendBytesAsync(Encoding.ASCII.GetBytes(command + "\r\n"));
        using var cts = new CancellationTokenSource(DefaultTimeout);
        while (true)
        {
            var result = await _reader.ReadAsync(cts.Token);
            var text = Encoding.Latin1.GetString(result.Buffer.ToArray());
            int end = listing
                ? (text.StartsWith(".\n", StringComparison.Ordinal) ? 2 : text.IndexOf("\n.\n", StringComparison.Ordinal) is var i and >= 0 ? i + 3 : -1)
                : text.IndexOf('\n') is var j and >= 0 ? j + 1 : -1;
            if (!listing || end < 0)
            {
                // an ERR line ends a listing too
                if (text.StartsWith("ERR", StringComparison.Ordinal) && text.IndexOf('\n') is var k and >= 0)
                    end = k + 1;
            }
            if (end > 0)
            {
                _reader.AdvanceTo(result.Buffer.GetPosition(end));
                return text[..end];
            }
            _reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            if (result.IsCompleted)
                throw new EndOfStreamException($"closed after: {text}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.CompleteAsync();
        _socket.Dispose();
    }
}
