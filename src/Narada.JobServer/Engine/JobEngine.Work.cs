using System.Diagnostics;
using System.Globalization;
using Narada.Gearman.Protocol;

namespace Narada.JobServer.Engine;

internal sealed partial class JobEngine
{
    /// <summary>WORK_* from a worker: accepted only from the connection holding the job, forwarded to its clients.</summary>
    private void Work(Peer peer, in Packet packet)
    {
        if (FindJob(packet.Argument(0).Span) is not { } job || job.Worker != peer)
        {
            SendError(peer, ErrorCodes.JobNotFound, "Job given in work result not found");
            return;
        }
        switch (packet.Type)
        {
            case PacketType.WorkStatus:
                job.Numerator = ParseCount(packet.Argument(1).Span);
                job.Denominator = ParseCount(packet.Argument(2).Span);
                Forward(job, packet.Type, packet.Payload);
                break;
            case PacketType.WorkData:
            case PacketType.WorkWarning:
                Forward(job, packet.Type, packet.Payload);
                break;
            case PacketType.WorkComplete:
                Forward(job, packet.Type, packet.Payload);
                Finish(job);
                _metrics.Completed();
                break;
            case PacketType.WorkFail:
                Forward(job, packet.Type, packet.Payload);
                Finish(job);
                _metrics.Failed();
                break;
            case PacketType.WorkException:
                foreach (var client in job.Clients)
                {
                    if (client.WantsExceptions)
                        client.Outbox.Send(PacketType.WorkException, packet.Payload);
                    else
                        client.Outbox.Send(PacketType.WorkFail, job.HandleBytes);
                }
                Finish(job);
                _metrics.Failed();
                break;
        }
    }

    private static void Forward(Job job, PacketType type, ReadOnlyMemory<byte> payload)
    {
        // The payload already is handle + arguments in the wire layout; resend it unchanged.
        foreach (var client in job.Clients)
            client.Outbox.Send(type, payload);
    }

    private void Finish(Job job)
    {
        _metrics.Ran(Stopwatch.GetElapsedTime(job.Timestamp, TurnClock.Now));
        job.Worker!.Holding.Remove(job);
        job.Worker = null;
        job.Function.Running--;
        Forget(job);
    }

    private void GetStatus(Peer peer, in Packet packet)
    {
        var handle = packet.Argument(0);
        if (FindJob(handle.Span) is { } job)
            peer.Outbox.Send(PacketType.StatusRes, handle, "1"u8.ToArray(), Flag(job.IsRunning), Number(job.Numerator), Number(job.Denominator));
        else
            peer.Outbox.Send(PacketType.StatusRes, handle, Zero, Zero, Zero, Zero);
    }

    private void GetStatusUnique(Peer peer, in Packet packet)
    {
        var unique = packet.Argument(0);
        string text = WireText.Decode(unique.Span);
        Job? found = null;
        foreach (var job in _uniques.Values)
        {
            if (job.Unique == text)
            {
                found = job;
                break;
            }
        }
        if (found is null)
            peer.Outbox.Send(PacketType.StatusResUnique, unique, Zero, Zero, Zero, Zero, Zero);
        else
            peer.Outbox.Send(PacketType.StatusResUnique, unique, "1"u8.ToArray(), Flag(found.IsRunning),
                Number(found.Numerator), Number(found.Denominator), Number((uint)found.Clients.Count));
    }

    private static readonly byte[] Zero = "0"u8.ToArray();

    private static byte[] Flag(bool value) => value ? "1"u8.ToArray() : Zero;

    private static byte[] Number(uint value) => WireText.Encode(value.ToString(CultureInfo.InvariantCulture));

    private static uint ParseCount(ReadOnlySpan<byte> text) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;
}
