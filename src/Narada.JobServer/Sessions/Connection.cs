using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Narada.Gearman.Transport;
using Narada.JobServer.Engine;
using Narada.JobServer.Security;
using Narada.JobServer.Sessions.Loop;

namespace Narada.JobServer.Sessions;

/// <summary>One accepted socket: the first byte picks the binary or the text admin session; closing hands its jobs back.</summary>
internal static class Connection
{
    /// <summary>Serves one connection; never throws, so one peer can never take the server (or its stop) down.</summary>
    public static async Task RunAsync(Socket socket, JobEngine engine, AdminResponder admin, JobServerOptions options,
        ConnectionSecurity? security, EventLoops? loops, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            await ServeAsync(socket, engine, admin, options, security, loops, logger, cancellationToken);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // the peer was gone before its session started, or the server is stopping
            socket.Dispose();
        }
        catch (Exception e)
        {
            Log.ConnectionFailed(logger, "-", e);
            socket.Dispose();
        }
    }

    private static async Task ServeAsync(Socket socket, JobEngine engine, AdminResponder admin, JobServerOptions options,
        ConnectionSecurity? security, EventLoops? loops, ILogger logger, CancellationToken cancellationToken)
    {
        socket.NoDelay = true;
        if (options.KeepAlive)
            TcpKeepAlive.Enable(socket, options.KeepAliveIdle, options.KeepAliveInterval, options.KeepAliveCount);
        string remote = (socket.RemoteEndPoint as IPEndPoint)?.Address.ToString() ?? "-";
        // TLS first: a refused handshake never reaches the engine; after it, the first decrypted byte still picks the session.
        var (refused, tls, identity) = security is null ? (false, null, PeerIdentity.Anonymous)
            : await security.HandshakeAsync(socket, remote, cancellationToken);
        if (refused)
        {
            socket.Dispose();
            return;
        }
        var outbox = new Outbox(socket, options.MaxOutboundBytes, tls);
        var peer = engine.Connect(remote, outbox);
        peer.Acl = security?.GateFor(identity, remote);
        var sending = outbox.RunAsync(cancellationToken);
        PipeReader? reader = null;
        try
        {
            if (tls is null && loops is not null)
            {
                // An event loop serves binary peers; one that turns out to speak the admin protocol comes back here.
                socket.Blocking = false;
                if (!await loops.Next().Serve(new LoopSession(socket, peer, engine, options.Limits, logger)))
                    return;
                socket.Blocking = true;
            }
            // Inside the try: a peer that already hung up makes NetworkStream throw, and that is just a closed connection.
            reader = OpenReader(socket, tls);
            var first = await reader.ReadAsync(cancellationToken);
            if (first.Buffer.IsEmpty)
            {
                reader.AdvanceTo(first.Buffer.End);
                return;
            }
            bool binary = first.Buffer.FirstSpan[0] == 0;
            reader.AdvanceTo(first.Buffer.Start);
            var input = new FairReader(reader);
            if (binary)
                await BinarySession.RunAsync(input, peer, engine, options.Limits, logger, cancellationToken);
            else
                await AdminSession.RunAsync(input, peer, admin, options.Limits, cancellationToken);
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
            reader ??= ReaderForTeardown(socket);
            if (reader is not null)
            {
                await DiscardInputAsync(new FairReader(reader), cancellationToken);
                await reader.CompleteAsync();
            }
            if (tls is not null)
                await tls.DisposeAsync();
            socket.Dispose();
        }
    }

    /// <summary>Zero-byte reads: a connection waiting for input holds no buffer.</summary>
    private static PipeReader OpenReader(Socket socket, Stream? tls) =>
        PipeReader.Create(tls ?? new NetworkStream(socket, ownsSocket: false),
            new StreamPipeReaderOptions(bufferSize: 4096, minimumReadSize: 1024, useZeroByteReads: true));

    /// <summary>A reader for the last of the input of a connection an event loop served; null when the socket is gone.</summary>
    private static PipeReader? ReaderForTeardown(Socket socket)
    {
        try
        {
            socket.Blocking = true;
            return OpenReader(socket, null);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            return null;
        }
    }

    /// <summary>
    /// Closing a socket with unread input makes the kernel send RST, which can destroy the ERROR packet just sent to a
    /// misbehaving peer; so read and drop its input until it hangs up, for a short while at most.
    /// </summary>
    private static async Task DiscardInputAsync(FairReader input, CancellationToken cancellationToken)
    {
        var reader = input.Pipe;
        using var linger = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        linger.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(linger.Token);
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
