namespace Narada.Gearman.Worker;

/// <summary>Thrown by a job handler to report WORK_FAIL: the job did not succeed and there is nothing more to say.</summary>
public sealed class GearmanJobFailedException : Exception
{
    public GearmanJobFailedException() : base("job failed")
    {
    }

    public GearmanJobFailedException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
