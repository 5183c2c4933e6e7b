using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Narada.JobServer.Engine;

namespace Narada.JobServer.Sessions;

/// <summary>One accepted socket: the first byte picks the binary or the text admin session; closing hands its jobs back.</summary>
internal static class Connection
{
    public static async Task RunAsync(Socket socket, JobEngine engine, AdminCommands admin, JobServerOptions options,
        ILogger logger, CancellationToken cancellationToken)
    {
        socket.NoDelay = true;
        string remote = (socket.RemoteEndPoint as IPEndPoint)?.Address.ToString() ?? "-";
        var outbox = new Outbox(socket, options.MaxOutboundBytes);
        var peer = engine.Connect(remote, outbox);
        var sending = outbox.RunAsync(cancellationToken);
        var reader = PipeReader.Create(new NetworkStream(socket, ownsSocket: false),
            new StreamPipeReaderOptions(bufferSize: 4096, minimumReadSize: 1024, useZeroByteReads: true));
        try
        {
            var first = await reader.ReadAsync(cancellationToken);
            if (first.Buffer.IsEmpty)
            {
                reader.AdvanceTo(first.Buffer.End);
                return;
            }
            bool binary = first.Buffer.FirstSpan[0] == 0;
            reader.AdvanceTo(first.Buffer.Start);
            if (binary)
                await BinarySession.RunAsync(reader, peer, engine, options.Limits, logger, cancellationToken);
            else
                await AdminSession.RunAsync(reader, peer, admin, options.Limits, cancellationToken);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // peer went away or the server is stopping
        }
        catch (Exception e)
        {
            Log.ConnectionFailed(logger, remote, e);
        }
        finally
        {
            engine.Disconnect(peer);
            outbox.CloseWhenFlushed();
            await sending;
            await DiscardInputAsync(reader, cancellationToken);
            await reader.CompleteAsync();
            socket.Dispose();
        }
    }

    /// <summary>
    /// Closing a socket with unread input makes the kernel send RST, which can destroy the ERROR packet just sent to a
    /// misbehaving peer; so read and drop its input until it hangs up, for a short while at most.
    /// </summary>
    private static async Task DiscardInputAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        using var linger = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        linger.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(linger.Token);
                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                    return;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // gone, reset or lingered long enough
        }
    }
}
