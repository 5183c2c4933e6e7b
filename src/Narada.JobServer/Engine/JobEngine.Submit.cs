using System.Globalization;
using Narada.Gearman.Protocol;

namespace Narada.JobServer.Engine;

internal sealed partial class JobEngine
{
    /// <summary>SUBMIT_JOB and its variants: coalesce on the unique key or create, then answer JOB_CREATED.</summary>
    private void Submit(Peer peer, in Packet packet)
    {
        var type = packet.Type;
        if (type == PacketType.SubmitJobSched)
        {
            // gearmand 1.1 refuses it the same way; running the job at the wrong time would be worse.
            SendError(peer, ErrorCodes.InvalidCommand, "Command not expected");
            return;
        }
        bool background = PacketSchema.IsBackgroundSubmit(type);
        var priority = type switch
        {
            PacketType.SubmitJobHigh or PacketType.SubmitJobHighBg => JobPriority.High,
            PacketType.SubmitJobLow or PacketType.SubmitJobLowBg => JobPriority.Low,
            _ => JobPriority.Normal,
        };
        var nameBytes = packet.Argument(0).Span;
        string unique = WireText.Decode(packet.Argument(1).Span);
        long runAt = 0;
        byte[] reducer = [];
        if (type == PacketType.SubmitJobEpoch)
        {
            if (!long.TryParse(packet.Argument(2).Span, NumberStyles.None, CultureInfo.InvariantCulture, out runAt))
            {
                SendError(peer, ErrorCodes.InvalidPacket, "SUBMIT_JOB_EPOCH: epoch is not a number");
                return;
            }
        }
        else if (type is PacketType.SubmitReduceJob or PacketType.SubmitReduceJobBackground)
        {
            reducer = packet.Argument(2).ToArray();
        }
        var data = packet.Argument(packet.ArgumentCount - 1);
        if (nameBytes.IsEmpty)
        {
            SendError(peer, ErrorCodes.InvalidPacket, "empty function name");
            return;
        }
        // A client mostly submits to the function it submitted to last: spare the name's string and lookup then.
        var function = peer.LastSubmitted is { Dropped: false } last && nameBytes.SequenceEqual(last.NameBytes) ? last : Function(WireText.Decode(nameBytes));
        string name = function.Name;

        var key = UniqueKey.For(name, unique, data.Span);
        if (key is { } k && _uniques.TryGetValue(k, out var existing))
        {
            Attach(peer, existing, background);
            _metrics.Coalesced();
            if (background && existing.Written is { IsCompletedSuccessfully: false } written)
                // The job it joins is not on disk yet: acknowledging it now would promise what a crash can still take.
                peer.Outbox.SendAfter(written, JobCreated(existing), QueueWriteFailed);
            else
                peer.Outbox.Send(PacketType.JobCreated, existing.HandleBytes);
            return;
        }

        peer.LastSubmitted = function;
        int limit = function.MaxQueue[(int)priority];
        if (limit > 0 && function.Total >= limit)
        {
            SendError(peer, ErrorCodes.QueueError, "Job queue is full");
            return;
        }

        // the packet borrows the connection's read buffer; the job keeps its own copy of the data
        var job = new Job(NewHandle(), function, unique, data.ToArray(), priority, background)
        {
            Key = key,
            RunAt = runAt,
            Reducer = reducer,
        };
        Attach(peer, job, background);
        _metrics.Submitted();
        if (background && _store is not null)
        {
            var written = _store.Add(job, out long id);
            job.StoreId = id;
            job.Written = written;
            Add(job);
            peer.Outbox.SendAfter(written, JobCreated(job), QueueWriteFailed);
            _ = written.ContinueWith(static (_, state) =>
            {
                var (engine, refused) = ((JobEngine, Job))state!;
                engine.Unqueue(refused);
            }, (this, job), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            return;
        }
        Add(job);
        peer.Outbox.Send(PacketType.JobCreated, job.HandleBytes);
    }

    private static readonly byte[] QueueWriteFailed = PacketWriter.ToArray(PacketMagic.Response, PacketType.Error,
        WireText.Encode(ErrorCodes.QueueError), "persistent queue write failed"u8.ToArray());

    private static byte[] JobCreated(Job job) => PacketWriter.ToArray(PacketMagic.Response, PacketType.JobCreated, job.HandleBytes);

    /// <summary>
    /// A background job the queue could not write (a full disk): its submitters are told QUEUE_ERROR, so it must not run
    /// behind their backs (a submitter that tries again would have it run twice; gearmand drops such a job too). One a
    /// worker already holds runs on; it cannot be taken back.
    /// </summary>
    private void Unqueue(Job job)
    {
        lock (_gate)
        {
            if (!_jobs.TryGetValue(job.Number, out var current) || current != job || job.IsRunning)
                return;
            job.StoreId = 0; // nothing was stored, nothing to delete
            Forget(job);
        }
    }

    private static void Attach(Peer peer, Job job, bool background)
    {
        if (background || job.Clients.Contains(peer))
            return;
        job.Clients.Add(peer);
        peer.Watching.Add(job);
    }
}
