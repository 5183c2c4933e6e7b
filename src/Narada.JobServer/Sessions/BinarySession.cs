using System.Buffers;
using Microsoft.Extensions.Logging;
using Narada.Gearman.Protocol;
using Narada.JobServer.Engine;

namespace Narada.JobServer.Sessions;

/// <summary>
/// A connection speaking the binary protocol: frames in, engine calls, replies through the outbox. Plain connections on
/// Linux x86-64 are read by an <see cref="Loop.EventLoop"/>; TLS ones, and any elsewhere, by <see cref="RunAsync"/>.
/// Both hand every read to <see cref="Handle"/>.
/// </summary>
internal static class BinarySession
{
    public static async Task RunAsync(FairReader input, Peer peer, JobEngine engine, PacketLimits limits, ILogger logger,
        CancellationToken cancellationToken)
    {
        var reader = input.Pipe;
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            bool lawful;
            SendBatch.Begin();
            try
            {
                lawful = Handle(ref buffer, peer, engine, limits, logger);
            }
            finally
            {
                // every reply and forwarded result of this read goes out now, one write per connection
                SendBatch.End();
            }
            if (!lawful)
            {
                reader.AdvanceTo(result.Buffer.End);
                return;
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (!KeepsUp(peer, logger))
                return;
            if (result.IsCompleted || result.IsCanceled)
                return;
        }
    }

    /// <summary>
    /// Hands every whole packet at the start of <paramref name="buffer"/> to the engine and leaves the rest in it. False
    /// when the peer broke the protocol: it was sent an ERROR saying why and is to be disconnected, and its jobs go back
    /// to the queue like any disconnect.
    /// </summary>
    public static bool Handle(ref ReadOnlySequence<byte> buffer, Peer peer, JobEngine engine, PacketLimits limits, ILogger logger)
    {
        try
        {
            // The packets borrow the read buffer: the engine copies what it keeps (a job's data) and frames the rest
            // into outboxes before the buffer is reused.
            while (PacketReader.TryReadBorrowed(ref buffer, PacketMagic.Request, limits, out var packet))
            {
                if (!PacketSchema.IsRequest(packet.Type))
                    throw new GearmanProtocolException(ProtocolError.InvalidCommand, "Command not expected");
                if (peer.Acl is { } acl && !acl.Admit(packet, peer.Outbox))
                    continue;
                engine.Handle(peer, packet);
            }
            return true;
        }
        catch (GearmanProtocolException e)
        {
            Log.ProtocolViolation(logger, peer.RemoteAddress, $"{e.Code}: {e.Message}");
            peer.Outbox.Send(PacketType.Error, WireText.Encode(e.Code), WireText.Encode(e.Message));
            return false;
        }
    }

    /// <summary>False once the peer let more replies pile up than the outbox allows: it is cut off.</summary>
    public static bool KeepsUp(Peer peer, ILogger logger)
    {
        if (!peer.Outbox.Overflowed)
            return true;
        Log.SlowReader(logger, peer.RemoteAddress);
        return false;
    }
}
