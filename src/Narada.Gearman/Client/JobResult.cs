namespace Narada.Gearman.Client;

/// <summary>How a foreground job ended.</summary>
public enum JobOutcome
{
    /// <summary>WORK_COMPLETE: the worker answered.</summary>
    Completed,
    /// <summary>WORK_FAIL: the worker gave up (or raised an exception this client did not ask to see).</summary>
    Failed,
    /// <summary>WORK_EXCEPTION: the worker raised an exception; the data is its text.</summary>
    Exception,
}

/// <summary>The end of a foreground job: its outcome and the bytes of WORK_COMPLETE or WORK_EXCEPTION.</summary>
public sealed record JobResult(JobHandle Handle, JobOutcome Outcome, ReadOnlyMemory<byte> Data)
{
    /// <summary>True when the worker completed the job.</summary>
    public bool Succeeded => Outcome == JobOutcome.Completed;

    /// <summary>The data decoded as UTF-8.</summary>
    public string DataAsString() => System.Text.Encoding.UTF8.GetString(Data.Span);
}
