namespace Narada.JobServer.Engine;

/// <summary>One submitted job: queued, scheduled for later, or held by a worker. Mutated only under the engine lock.</summary>
internal sealed class Job
{
    public Job(JobHandle handle, FunctionQueue function, string unique, ReadOnlyMemory<byte> data, JobPriority priority, bool background)
    {
        Number = handle.Number;
        HandleBytes = handle.Bytes;
        Function = function;
        Unique = unique;
        UniqueBytes = unique.Length == 0 ? [] : WireText.Encode(unique);
        Data = data;
        Priority = priority;
        Background = background;
    }

    /// <summary>The counter at the end of the handle; unique among the server's jobs, the key they are found by.</summary>
    public long Number { get; }

    /// <summary>The handle as it goes on the wire (prefix, colon, number).</summary>
    public byte[] HandleBytes { get; }

    /// <summary>The handle as text, for logs and admin output.</summary>
    public string Handle => WireText.Decode(HandleBytes);
    public FunctionQueue Function { get; }
    public string Unique { get; }
    public byte[] UniqueBytes { get; }
    public ReadOnlyMemory<byte> Data { get; }
    public JobPriority Priority { get; }
    public bool Background { get; }

    /// <summary>Reducer function of a SUBMIT_REDUCE_JOB, empty otherwise.</summary>
    public byte[] Reducer { get; init; } = [];

    /// <summary>Unix seconds a SUBMIT_JOB_EPOCH job becomes runnable; 0 for immediate jobs.</summary>
    public long RunAt { get; init; }

    /// <summary>The coalescing key, or null when the job never coalesces (empty unique).</summary>
    public UniqueKey? Key { get; init; }

    /// <summary>Row id in the persistent queue; 0 when not persisted.</summary>
    public long StoreId { get; set; }

    /// <summary>The persistent queue's write of this job while it may still be under way; null when it is not persisted.
    /// A background submit that coalesces onto the job is acknowledged only once this has completed.</summary>
    public Task? Written { get; set; }

    /// <summary>Foreground clients waiting for WORK_* packets (a job can have several through coalescing).</summary>
    public List<Peer> Clients { get; } = [];

    public Peer? Worker { get; set; }
    public uint Numerator { get; set; }
    public uint Denominator { get; set; }
    public int Retries { get; set; }

    /// <summary>Position in its function's FIFO while queued.</summary>
    public LinkedListNode<Job>? QueueNode { get; set; }

    /// <summary>Stopwatch timestamp of the last enqueue (queue-wait histogram) or assignment (run-time histogram).</summary>
    public long Timestamp { get; set; }

    /// <summary>Bumped at each assignment so a stale CAN_DO_TIMEOUT timer recognises it lost the job.</summary>
    public int Assignment { get; set; }

    public Timer? Timeout { get; set; }

    public bool IsRunning => Worker is not null;

    /// <summary>A foreground job nobody waits for any more is not worth running.</summary>
    public bool IsOrphaned => !Background && Clients.Count == 0;

    // Jobs live in hash sets (a worker's held jobs, a client's watched ones): the number is a ready-made hash, where the
    // default one would have to be made and stored in the object's header the first time.
    public override int GetHashCode() => Number.GetHashCode();

    public override bool Equals(object? obj) => ReferenceEquals(this, obj);
}

/// <summary>A new job's handle: its number and its wire bytes.</summary>
internal readonly record struct JobHandle(long Number, byte[] Bytes);
