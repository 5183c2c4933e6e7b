namespace Narada.JobServer.Engine;

/// <summary>A function's high/normal/low FIFOs, its workers and its sleepers. Mutated only under the engine lock.</summary>
internal sealed class FunctionQueue
{
    private readonly LinkedList<Job>[] _lists = [new(), new(), new()];

    public FunctionQueue(string name)
    {
        Name = name;
        NameBytes = WireText.Encode(name);
    }

    public string Name { get; }
    public byte[] NameBytes { get; }

    /// <summary>Removed by <c>drop function</c>; a submit naming it again creates a new queue.</summary>
    public bool Dropped { get; set; }

    /// <summary>Jobs of this function held by workers.</summary>
    public int Running { get; set; }

    /// <summary>Connections that registered this function (CAN_DO).</summary>
    public int WorkerCount { get; set; }

    /// <summary>Workers asleep (PRE_SLEEP) that can run this function, oldest first.</summary>
    public LinkedList<Peer> Sleepers { get; } = new();

    /// <summary>Queue limit per priority set by <c>maxqueue</c>; 0 means unlimited.</summary>
    public int[] MaxQueue { get; } = new int[3];

    public int Queued(JobPriority priority) => _lists[(int)priority].Count;

    public int QueuedTotal => _lists[0].Count + _lists[1].Count + _lists[2].Count;

    /// <summary>Queued plus running, as <c>status</c> reports it.</summary>
    public int Total => QueuedTotal + Running;

    public bool IsIdle => Total == 0 && WorkerCount == 0;

    public void Enqueue(Job job) => job.QueueNode = _lists[(int)job.Priority].AddLast(job);

    public Job? Peek(JobPriority priority) => _lists[(int)priority].First?.Value;

    public void Remove(Job job)
    {
        if (job.QueueNode is null)
            return;
        _lists[(int)job.Priority].Remove(job.QueueNode);
        job.QueueNode = null;
    }

    public IEnumerable<Job> QueuedJobs => _lists.SelectMany(l => l);
}
