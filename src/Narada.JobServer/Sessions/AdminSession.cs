using System.Buffers;
using Narada.Gearman.Protocol;
using Narada.JobServer.Engine;

namespace Narada.JobServer.Sessions;

/// <summary>A connection speaking the text admin protocol: one command per line, gearmand's reply formats.</summary>
internal static class AdminSession
{
    public static async Task RunAsync(FairReader input, Peer peer, AdminResponder commands, PacketLimits limits,
        CancellationToken cancellationToken)
    {
        var reader = input.Pipe;
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            while (buffer.PositionOf((byte)'\n') is { } end)
            {
                var line = buffer.Slice(0, end);
                buffer = buffer.Slice(buffer.GetPosition(1, end));
                if (line.Length > limits.MaxAdminLineLength)
                {
                    peer.Outbox.SendRaw("ERR LINE_TOO_LONG Command+line+too+long\r\n"u8);
                    reader.AdvanceTo(result.Buffer.End);
                    return;
                }
                var text = WireText.Decode(line.ToArray()).TrimEnd('\r');
                peer.Outbox.SendRaw(WireText.Encode(peer.Acl?.RefuseAdmin(text) ?? commands.Execute(text)));
            }
            long unfinished = buffer.Length;
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (unfinished > limits.MaxAdminLineLength)
            {
                peer.Outbox.SendRaw("ERR LINE_TOO_LONG Command+line+too+long\r\n"u8);
                return;
            }
            if (peer.Outbox.Overflowed)
                return;
            if (result.IsCompleted || result.IsCanceled)
                return;
        }
    }
}
