namespace Narada.Gearman.Client;

/// <summary>What a worker sent while a foreground job ran.</summary>
public enum JobUpdateKind
{
    /// <summary>WORK_DATA: a chunk of the answer.</summary>
    Data,
    /// <summary>WORK_WARNING: a warning text.</summary>
    Warning,
    /// <summary>WORK_STATUS: progress as numerator / denominator.</summary>
    Status,
    /// <summary>WORK_EXCEPTION: the exception text; the job ends with it.</summary>
    Exception,
}

/// <summary>One WORK_DATA, WORK_WARNING, WORK_STATUS or WORK_EXCEPTION packet of a job, in arrival order.</summary>
public readonly record struct JobUpdate(JobUpdateKind Kind, ReadOnlyMemory<byte> Data, long Numerator = 0, long Denominator = 0)
{
    /// <summary>The data decoded as UTF-8.</summary>
    public string DataAsString() => System.Text.Encoding.UTF8.GetString(Data.Span);
}
