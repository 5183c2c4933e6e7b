using Microsoft.Extensions.Logging;
using Narada.Gearman.Protocol;
using Narada.JobServer.Engine;

namespace Narada.JobServer.Sessions;

/// <summary>A connection speaking the binary protocol: frames in, engine calls, replies through the outbox.</summary>
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
            SendBatch.Begin();
            try
            {
                while (PacketReader.TryRead(ref buffer, PacketMagic.Request, limits, out var packet))
                {
                    if (!PacketSchema.IsRequest(packet.Type))
                        throw new GearmanProtocolException(ProtocolError.InvalidCommand, "Command not expected");
                    if (peer.Acl is { } acl && !acl.Admit(packet, peer.Outbox))
                        continue;
                    engine.Handle(peer, packet);
                }
            }
            catch (GearmanProtocolException e)
            {
                // The offender is told why and cut off; its jobs go back to the queue like any disconnect.
                Log.ProtocolViolation(logger, peer.RemoteAddress, $"{e.Code}: {e.Message}");
                peer.Outbox.Send(PacketType.Error, WireText.Encode(e.Code), WireText.Encode(e.Message));
                reader.AdvanceTo(result.Buffer.End);
                return;
            }
            finally
            {
                // every reply and forwarded result of this read goes out now, one write per connection
                SendBatch.End();
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (peer.Outbox.Overflowed)
            {
                Log.SlowReader(logger, peer.RemoteAddress);
                return;
            }
            if (result.IsCompleted || result.IsCanceled)
                return;
        }
    }
}
