using System.Threading.Channels;

namespace Narada.Gearman.Client;

/// <summary>A foreground job a server accepted: its handle, the updates its worker sends, and how it ends.</summary>
public sealed class GearmanJob
{
    private readonly TaskCompletionSource<JobResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<JobUpdate>? _updates;
    private CancellationTokenSource? _deadline;

    internal GearmanJob(string function, bool wantsUpdates)
    {
        Function = function;
        if (wantsUpdates)
            _updates = Channel.CreateUnbounded<JobUpdate>(new UnboundedChannelOptions { SingleWriter = true });
    }

    /// <summary>The function the job was submitted to.</summary>
    public string Function { get; }

    /// <summary>The server that holds the job and its handle there; set once JOB_CREATED arrived.</summary>
    public JobHandle Handle { get; internal set; }

    /// <summary>WORK_DATA, WORK_WARNING, WORK_STATUS and WORK_EXCEPTION packets in arrival order, buffered until read;
    /// ends when the job ends. One reader: enumerating twice splits the updates between the readers.</summary>
    public IAsyncEnumerable<JobUpdate> Updates => _updates is null ? AsyncEnumerable.Empty<JobUpdate>() : _updates.Reader.ReadAllAsync();

    /// <summary>Completes with the job's result; faults with <see cref="Transport.GearmanConnectionException"/> when the
    /// connection broke first, or <see cref="TimeoutException"/> when <see cref="JobOptions.Timeout"/> passed.</summary>
    public Task<JobResult> Completion => _completion.Task;

    /// <summary>True once JOB_CREATED named the job's handle: the server holds it.</summary>
    internal bool IsAccepted => Handle.Handle is not null;

    /// <summary>Next job on the same connection that the server coalesced onto the same handle.</summary>
    internal GearmanJob? NextWithSameHandle { get; set; }

    /// <summary>True while the owning session routes WORK_* packets to this job.</summary>
    internal bool IsListening { get; set; }

    /// <summary>The session that routes this job's packets, once JOB_CREATED arrived.</summary>
    internal ClientSession? Session { get; set; }

    internal void Update(in JobUpdate update) => _updates?.Writer.TryWrite(update);

    internal void Finish(JobOutcome outcome, ReadOnlyMemory<byte> data)
    {
        if (_completion.TrySetResult(new JobResult(Handle, outcome, data)))
            _updates?.Writer.TryComplete();
        _deadline?.Dispose();
    }

    internal void Fail(Exception error)
    {
        if (_completion.TrySetException(error))
            _updates?.Writer.TryComplete(error);
        _deadline?.Dispose();
    }

    /// <summary>Fails the job with a timeout when <paramref name="deadline"/> fires, and stops listening for it.</summary>
    internal void ArmDeadline(CancellationTokenSource deadline, TimeSpan timeout)
    {
        _deadline = deadline;
        deadline.Token.UnsafeRegister(static (state, _) =>
        {
            var (job, timeout) = ((GearmanJob, TimeSpan))state!;
            job.Session?.Forget(job);
            job.Fail(new TimeoutException($"job '{job.Function}' ({job.Handle}) did not finish within {timeout}"));
        }, (this, timeout));
        if (_completion.Task.IsCompleted)
            deadline.Dispose();
    }

    /// <summary>The caller stopped waiting: stop routing WORK_* packets to this job.</summary>
    internal void Forget() => Session?.Forget(this);
}
