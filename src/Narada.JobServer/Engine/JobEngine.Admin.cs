using System.Text;

namespace Narada.JobServer.Engine;

internal sealed partial class JobEngine
{
    /// <summary><c>status</c>: function, total (queued + running), running, available workers.</summary>
    public string Status()
    {
        var text = new StringBuilder();
        lock (_gate)
            foreach (var f in _functions.Values)
                text.Append(f.Name).Append('\t').Append(f.Total + Scheduled(f)).Append('\t').Append(f.Running)
                    .Append('\t').Append(f.WorkerCount).Append('\n');
        return text.Append(".\n").ToString();
    }

    /// <summary><c>prioritystatus</c>: function, queued high, normal, low, workers.</summary>
    public string PriorityStatus()
    {
        var text = new StringBuilder();
        lock (_gate)
            foreach (var f in _functions.Values)
                text.Append(f.Name).Append('\t').Append(f.Queued(JobPriority.High)).Append('\t')
                    .Append(f.Queued(JobPriority.Normal) + Scheduled(f)).Append('\t').Append(f.Queued(JobPriority.Low))
                    .Append('\t').Append(f.WorkerCount).Append('\n');
        return text.Append(".\n").ToString();
    }

    /// <summary><c>workers</c>: one line per connection, clients included.</summary>
    public string Workers()
    {
        var text = new StringBuilder();
        lock (_gate)
            foreach (var p in _peers.OrderBy(p => p.Id))
            {
                text.Append(p.Id).Append(' ').Append(p.RemoteAddress).Append(' ').Append(p.ClientId).Append(" :");
                // gearmand lists the most recent CAN_DO first.
                for (int i = p.Abilities.Count - 1; i >= 0; i--)
                    text.Append(' ').Append(p.Abilities[i].Function.Name);
                text.Append('\n');
            }
        return text.Append(".\n").ToString();
    }

    /// <summary><c>show jobs</c>: handle, retries, ignore flag (always 0: cancelled jobs are removed), queued flag.</summary>
    public string ShowJobs()
    {
        var text = new StringBuilder();
        lock (_gate)
            foreach (var job in _jobs.Values)
                text.Append(job.Handle).Append('\t').Append(job.Retries).Append("\t0\t1\n");
        return text.Append(".\n").ToString();
    }

    public string ShowUniqueJobs()
    {
        var text = new StringBuilder();
        lock (_gate)
            foreach (var job in _jobs.Values)
                text.Append(job.Unique).Append('\n'); // gearmand prints an empty line for a job without unique
        return text.Append(".\n").ToString();
    }

    /// <summary><c>cancel job</c>: only a job still waiting can be cancelled.</summary>
    public bool Cancel(string handle)
    {
        lock (_gate)
        {
            if (FindJob(WireText.Encode(handle)) is not { } job || job.IsRunning)
                return false;
            Forget(job);
            return true;
        }
    }

    public void SetMaxQueue(string name, int high, int normal, int low)
    {
        lock (_gate)
        {
            var f = Function(name);
            f.MaxQueue[0] = Math.Max(0, high);
            f.MaxQueue[1] = Math.Max(0, normal);
            f.MaxQueue[2] = Math.Max(0, low);
        }
    }

    public void CreateFunction(string name)
    {
        lock (_gate)
            Function(name);
    }

    /// <summary><c>drop function</c>: refused while workers can run it or jobs of it run.</summary>
    public bool? DropFunction(string name)
    {
        lock (_gate)
        {
            if (!_functions.TryGetValue(name, out var f))
                return null;
            if (f.WorkerCount > 0 || f.Running > 0)
                return false;
            foreach (var job in f.QueuedJobs.ToArray())
                Forget(job);
            _functions.Remove(name);
            f.Dropped = true;
            return true;
        }
    }

    /// <summary>Counts for the metrics endpoint, taken in one pass under the lock.</summary>
    public EngineSnapshot Snapshot()
    {
        lock (_gate)
        {
            var functions = _functions.Values
                .Select(f => new FunctionSnapshot(f.Name, f.Queued(JobPriority.High), f.Queued(JobPriority.Normal) + Scheduled(f),
                    f.Queued(JobPriority.Low), f.Running, f.WorkerCount))
                .ToArray();
            return new EngineSnapshot(functions, _peers.Count);
        }
    }

    private int Scheduled(FunctionQueue f)
    {
        if (_scheduled.Count == 0)
            return 0;
        int n = 0;
        foreach (var (job, _) in _scheduled.UnorderedItems)
            if (job.Function == f && _jobs.ContainsKey(job.Number) && job.QueueNode is null && !job.IsRunning)
                n++;
        return n;
    }
}

/// <summary>Per-function counts at one instant.</summary>
internal sealed record FunctionSnapshot(string Name, int High, int Normal, int Low, int Running, int Workers);

/// <summary>Engine counts at one instant.</summary>
internal sealed record EngineSnapshot(IReadOnlyList<FunctionSnapshot> Functions, int Connections);
