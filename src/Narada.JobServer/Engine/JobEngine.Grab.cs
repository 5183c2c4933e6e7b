using System.Diagnostics;
using Narada.Gearman.Protocol;

namespace Narada.JobServer.Engine;

internal sealed partial class JobEngine
{
    /// <summary>GRAB_JOB / GRAB_JOB_UNIQ / GRAB_JOB_ALL: best priority across all the worker's functions, fair rotation within a priority.</summary>
    private void Grab(Peer peer, PacketType type)
    {
        Wake(peer, false);
        var job = NextJobFor(peer);
        _metrics.Grabbed(job is not null);
        if (job is null)
        {
            peer.Outbox.Send(PacketType.NoJob);
            return;
        }
        Assign(peer, job);
        if (type == PacketType.GrabJob)
            peer.Outbox.Send(PacketType.JobAssign, job.HandleBytes, job.Function.NameBytes, job.Data);
        else if (type == PacketType.GrabJobAll && job.Reducer.Length > 0)
            peer.Outbox.Send(PacketType.JobAssignAll, job.HandleBytes, job.Function.NameBytes, job.UniqueBytes, job.Reducer, job.Data);
        else
            peer.Outbox.Send(PacketType.JobAssignUniq, job.HandleBytes, job.Function.NameBytes, job.UniqueBytes, job.Data);
    }

    private Job? NextJobFor(Peer peer)
    {
        var abilities = peer.Abilities;
        int count = abilities.Count;
        if (count == 0)
            return null;
        for (var priority = JobPriority.High; priority <= JobPriority.Low; priority++)
        {
            for (int i = 0; i < count; i++)
            {
                int index = (peer.NextAbility + i) % count;
                var function = abilities[index].Function;
                var job = function.Peek(priority);
                // A foreground job whose clients all left is dropped when it reaches the head.
                while (job is not null && job.IsOrphaned)
                {
                    Forget(job);
                    _metrics.Dropped();
                    job = function.Peek(priority);
                }
                if (job is not null)
                {
                    peer.NextAbility = (index + 1) % count;
                    return job;
                }
            }
        }
        return null;
    }

    private void Assign(Peer peer, Job job)
    {
        job.Function.Remove(job);
        job.Function.Running++;
        job.Worker = peer;
        job.Assignment++;
        peer.Holding.Add(job);
        long now = TurnClock.Now;
        _metrics.Waited(Stopwatch.GetElapsedTime(job.Timestamp, now));
        job.Timestamp = now;
        int timeoutMs = TimeoutFor(peer, job.Function);
        if (timeoutMs > 0)
            job.Timeout = StartTimeout(job, peer, timeoutMs);
    }

    /// <summary>The worker's CAN_DO_TIMEOUT for the function, 0 for none (a loop: this runs for every job).</summary>
    private static int TimeoutFor(Peer peer, FunctionQueue function)
    {
        foreach (var ability in peer.Abilities)
        {
            if (ability.Function == function)
                return ability.TimeoutMs;
        }
        return 0;
    }

    // A method of its own: a lambda capturing Assign's parameters would cost every assignment a closure.
    private Timer StartTimeout(Job job, Peer worker, int timeoutMs)
    {
        int assignment = job.Assignment;
        return new Timer(_ => TimedOut(job, worker, assignment), null, timeoutMs, Timeout.Infinite);
    }

    private void TimedOut(Job job, Peer worker, int assignment)
    {
        lock (_gate)
        {
            if (job.Worker != worker || job.Assignment != assignment || !_jobs.ContainsKey(job.Number))
                return;
            Requeue(job, "CAN_DO_TIMEOUT expired");
        }
    }

    /// <summary>The worker lost the job: back to the tail of its list, or failed once it used up its attempts.</summary>
    private void Requeue(Job job, string why)
    {
        var worker = job.Worker!;
        worker.Holding.Remove(job);
        job.Worker = null;
        job.Function.Running--;
        job.Timeout?.Dispose();
        job.Timeout = null;
        job.Numerator = 0;
        job.Denominator = 0;
        job.Retries++;
        if (_jobRetries > 0 && job.Retries >= _jobRetries)
        {
            Log.JobDropped(_logger, job.Handle, job.Retries, why);
            foreach (var client in job.Clients)
                client.Outbox.Send(PacketType.WorkFail, job.HandleBytes);
            _metrics.Failed();
            Forget(job);
            return;
        }
        Log.JobRequeued(_logger, job.Handle, why);
        _metrics.Retried();
        Enqueue(job);
    }

    /// <summary>PRE_SLEEP: NOOP at once if work waits, else sleep on every function the worker can run.</summary>
    private void Sleep(Peer peer)
    {
        Wake(peer, false);
        foreach (var ability in peer.Abilities)
        {
            if (ability.Function.QueuedTotal > 0)
            {
                peer.Outbox.Send(PacketType.Noop);
                return;
            }
        }
        foreach (var ability in peer.Abilities)
            peer.SleepNodes.Add((ability.Function, ability.Function.Sleepers.AddLast(peer)));
    }

    /// <summary>A job arrived: wake one sleeper per job, not the whole herd.</summary>
    private void WakeOneSleeper(FunctionQueue function)
    {
        var first = function.Sleepers.First;
        if (first is not null)
            Wake(first.Value, true);
    }

    /// <summary>Takes the peer off every sleeper list; with <paramref name="noop"/>, tells it to grab.</summary>
    private static void Wake(Peer peer, bool noop)
    {
        if (peer.SleepNodes.Count == 0)
            return;
        foreach (var (function, node) in peer.SleepNodes)
            function.Sleepers.Remove(node);
        peer.SleepNodes.Clear();
        if (noop)
            peer.Outbox.Send(PacketType.Noop);
    }
}
