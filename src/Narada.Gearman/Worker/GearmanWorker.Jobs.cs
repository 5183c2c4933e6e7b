using System.Text;
using Narada.Gearman.Protocol;
using Narada.Gearman.Transport;

namespace Narada.Gearman.Worker;

public sealed partial class GearmanWorker
{
    private readonly HashSet<RunningJob> _running = [];
    private readonly Lock _runningLock = new();
    private TaskCompletionSource? _drained;
    private long _jobsCompleted;
    private long _jobsFailed;
    private int _jobsRunning;

    /// <summary>Runs an assigned job on the thread pool; the concurrency slot taken for its grab is released when it ends.</summary>
    internal void StartJob(WorkerLink link, Packet assignment)
    {
        var handle = assignment.Argument(0);
        var function = assignment.Argument(1);
        string unique = assignment.Type == PacketType.JobAssignUniq ? Encoding.UTF8.GetString(assignment.Argument(2).Span) : "";
        var payload = assignment.Argument(assignment.ArgumentCount - 1);

        if (FindAbility(function.Span) is not { } ability)
        {
            // unregistered while the grab was in flight
            Log.JobOfUnknownFunction(_logger, link.Connection.Address, Encoding.UTF8.GetString(handle.Span),
                Encoding.UTF8.GetString(function.Span));
            _ = ReportAsync(link.Connection, new GearmanJobContext(link.Connection, handle, "", unique, payload), Outcome.Fail, default);
            Slots.Release();
            return;
        }

        var job = new RunningJob(this, ability, new GearmanJobContext(link.Connection, handle, ability.Function, unique, payload), link);
        lock (_runningLock)
            _running.Add(job);
        Interlocked.Increment(ref _jobsRunning);
        ThreadPool.UnsafeQueueUserWorkItem(job, preferLocal: false);
    }

    private void JobEnded(RunningJob job)
    {
        lock (_runningLock)
            _running.Remove(job);
        Slots.Release();
        if (Interlocked.Decrement(ref _jobsRunning) == 0)
            Volatile.Read(ref _drained)?.TrySetResult();
    }

    /// <summary>Waits for the jobs in hand up to the stop deadline, then cancels the rest and reports them failed.</summary>
    private async Task FinishJobsAsync(CancellationToken deadline)
    {
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _drained, drained);
        if (Volatile.Read(ref _jobsRunning) == 0)
            drained.TrySetResult();
        try
        {
            await drained.Task.WaitAsync(deadline);
            return;
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            return; // disposed while stopping: the connections close and the servers requeue the jobs
        }
        catch (OperationCanceledException)
        {
            // the stop deadline passed
        }

        RunningJob[] late;
        lock (_runningLock)
            late = [.. _running];
        Log.JobsCancelledAtStop(_logger, late.Length);
        foreach (var job in late)
            job.Link.CancelJobs();
        // Report at once rather than wait for handlers that may ignore their token.
        await Task.WhenAll(late.Select(job => ReportAsync(job.Link.Connection, job.Context, Outcome.Fail, default)));
    }

    /// <summary>Sends the job's outcome unless one was sent already, and counts it.</summary>
    private async Task ReportAsync(GearmanConnection connection, GearmanJobContext context, Outcome outcome,
        ReadOnlyMemory<byte> data)
    {
        if (!context.TryFinish())
            return;
        Interlocked.Increment(ref outcome == Outcome.Complete ? ref _jobsCompleted : ref _jobsFailed);
        try
        {
            await (outcome switch
            {
                Outcome.Complete => context.SendCompleteAsync(data),
                Outcome.Exception => context.SendExceptionAsync(data),
                _ => context.SendFailAsync(),
            });
        }
        catch (Exception e) when (e is GearmanConnectionException or ObjectDisposedException)
        {
            // the connection is gone: the server requeues the job
            Log.WorkerSendFailed(_logger, connection.Address, outcome.ToString(), e);
        }
    }

    private enum Outcome { Complete, Fail, Exception }

    /// <summary>A job between its JOB_ASSIGN and its reported outcome.</summary>
    private sealed class RunningJob(GearmanWorker worker, WorkerAbility ability, GearmanJobContext context, WorkerLink link)
        : IThreadPoolWorkItem
    {
        public GearmanJobContext Context => context;

        public WorkerLink Link => link;

        public void Execute() => _ = RunAsync();

        private async Task RunAsync()
        {
            var token = link.JobsToken;
            try
            {
                ReadOnlyMemory<byte> result;
                try
                {
                    result = await ability.Handler(context, token);
                }
                catch (GearmanJobFailedException)
                {
                    await worker.ReportAsync(link.Connection, context, Outcome.Fail, default);
                    return;
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    await worker.ReportAsync(link.Connection, context, Outcome.Fail, default);
                    return;
                }
                catch (Exception e)
                {
                    Log.JobThrew(worker._logger, context.Handle, context.Function, e);
                    var message = string.IsNullOrEmpty(e.Message) ? e.GetType().Name : e.Message;
                    await worker.ReportAsync(link.Connection, context, Outcome.Exception, Encoding.UTF8.GetBytes(message));
                    return;
                }
                await worker.ReportAsync(link.Connection, context, Outcome.Complete, result);
            }
            finally
            {
                worker.JobEnded(this);
            }
        }
    }
}
