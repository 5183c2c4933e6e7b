namespace Narada.Gearman.Client;

/// <summary>Queue a job is submitted to; gearmand hands out high before normal before low within one function.</summary>
public enum JobPriority
{
    Normal,
    High,
    Low,
}

/// <summary>Per-job submit settings.</summary>
public sealed record JobOptions
{
    /// <summary>Which queue of the function the job joins.</summary>
    public JobPriority Priority { get; init; } = JobPriority.Normal;

    /// <summary>
    /// Unique key (at most 64 UTF-8 bytes): submits with the same function and unique share one job, and the key picks
    /// the server. <c>"-"</c> keys on the payload bytes. Null lets the client decide (none for foreground jobs, a fresh
    /// UUID for background jobs, as libgearman does).
    /// </summary>
    public string? Unique { get; init; }

    /// <summary>Run a background job no earlier than this (SUBMIT_JOB_EPOCH, normal priority only).</summary>
    public DateTimeOffset? RunAt { get; init; }

    /// <summary>Give up waiting after this long: for JOB_CREATED and, for foreground jobs, for the result.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Normal priority, no unique, no timeout.</summary>
    public static JobOptions Default { get; } = new();
}
