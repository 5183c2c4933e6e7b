using System.Buffers;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Narada.Gearman.Protocol;
using Narada.JobServer.Engine;

namespace Narada.JobServer.Sessions.Loop;

/// <summary>
/// A plain connection read by an <see cref="EventLoop"/>: each time the socket is readable the loop reads once into its
/// shared buffer and the whole packets go to the engine. Only an unfinished packet is kept per connection, so an idle
/// connection holds no read buffer at all. The socket stays out of the runtime's own epoll set (no async reads, and
/// sends are direct while the peer keeps up), so an incoming segment wakes one thread, not two.
/// </summary>
internal sealed class LoopSession
{
    private readonly Socket _socket;
    private readonly Peer _peer;
    private readonly JobEngine _engine;
    private readonly PacketLimits _limits;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource<bool> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[]? _unfinished;
    private int _unfinishedLength;
    private bool _binary;
    private bool _admin;

    public LoopSession(Socket socket, Peer peer, JobEngine engine, PacketLimits limits, ILogger logger)
    {
        _socket = socket;
        _peer = peer;
        _engine = engine;
        _limits = limits;
        _logger = logger;
        Fd = (int)socket.Handle;
    }

    public int Fd { get; }

    public string RemoteAddress => _peer.RemoteAddress;

    /// <summary>
    /// Completes once the loop let go of the connection (peer gone, protocol broken, server stopping) with false; with
    /// true when the peer turned out to speak the text admin protocol, its first line still unread.
    /// </summary>
    public Task<bool> Ended => _ended.Task;

    /// <summary>
    /// Ends the session. A binary peer is disconnected from the engine right here, in the loop's turn that saw it go,
    /// so its jobs go back to the queue (and its abandoned foreground jobs are dropped) before anything else is read.
    /// </summary>
    public void End()
    {
        if (!_admin)
            _engine.Disconnect(_peer);
        _ended.TrySetResult(_admin);
    }

    /// <summary>One read and what it holds; false when the session is over.</summary>
    public bool OnReadable(byte[] shared)
    {
        if (!_binary)
        {
            // The first byte picks the protocol: NUL starts a binary packet; anything else is an admin command, which
            // is left unread for the thread-pool session that serves those.
            int peeked = _socket.Receive(shared.AsSpan(0, 1), SocketFlags.Peek, out var peekError);
            if (peekError == SocketError.WouldBlock)
                return true;
            if (peekError != SocketError.Success || peeked == 0)
                return false;
            _admin = shared[0] != 0;
            if (_admin)
                return false;
            _binary = true;
        }
        var target = shared;
        int offset = 0;
        if (_unfinishedLength > 0)
        {
            if (_unfinishedLength <= shared.Length / 2)
            {
                _unfinished.AsSpan(0, _unfinishedLength).CopyTo(shared);
            }
            else
            {
                // A packet bigger than the shared buffer is on its way: read it straight behind what came of it so far.
                if (_unfinished!.Length - _unfinishedLength < shared.Length / 2)
                    Array.Resize(ref _unfinished, _unfinished.Length * 2);
                target = _unfinished;
            }
            offset = _unfinishedLength;
        }
        int received = _socket.Receive(target.AsSpan(offset), SocketFlags.None, out var error);
        if (error == SocketError.WouldBlock)
            return true;
        if (error != SocketError.Success || received == 0)
            return false; // reset or closed by the peer
        var buffer = new ReadOnlySequence<byte>(target, 0, offset + received);
        if (!BinarySession.Handle(ref buffer, _peer, _engine, _limits, _logger))
            return false;
        Keep(buffer, target);
        return BinarySession.KeepsUp(_peer, _logger);
    }

    /// <summary>Keeps the unfinished packet at the end of a read for the next one.</summary>
    private void Keep(ReadOnlySequence<byte> rest, byte[] target)
    {
        int length = (int)rest.Length;
        if (length == 0)
        {
            _unfinishedLength = 0;
            if (_unfinished is { Length: > 4096 })
                _unfinished = null; // a big packet went through; an idle connection keeps nothing big
            return;
        }
        if (target == _unfinished)
        {
            int start = (int)rest.Start.GetInteger();
            Buffer.BlockCopy(_unfinished, start, _unfinished, 0, length);
        }
        else
        {
            if (_unfinished is null || _unfinished.Length < length)
                _unfinished = new byte[Math.Max(length, 256)];
            rest.CopyTo(_unfinished);
        }
        _unfinishedLength = length;
    }
}
