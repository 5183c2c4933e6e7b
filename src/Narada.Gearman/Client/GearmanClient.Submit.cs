using System.Globalization;
using System.Text;
using Narada.Gearman.Protocol;
using Narada.Gearman.Transport;

namespace Narada.Gearman.Client;

public sealed partial class GearmanClient
{
    private readonly record struct Submission(PacketType Type, string Function, byte[] FunctionBytes, byte[] Unique,
        ReadOnlyMemory<byte> Epoch, ReadOnlyMemory<byte> Payload, bool WantsUpdates);

    /// <summary>Submits a foreground job and returns once the server accepted it (JOB_CREATED); follow it through the job.</summary>
    public ValueTask<GearmanJob> StartAsync(string function, ReadOnlyMemory<byte> payload, JobOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= JobOptions.Default;
        var submission = Foreground(function, payload, options, wantsUpdates: true, out int start);
        return StartCoreAsync(submission, options, start, cancellationToken);
    }

    /// <summary>Submits a foreground job and waits for its end (updates are not kept; use <see cref="StartAsync"/> for them).</summary>
    public async ValueTask<JobResult> SubmitAsync(string function, ReadOnlyMemory<byte> payload, JobOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= JobOptions.Default;
        var submission = Foreground(function, payload, options, wantsUpdates: false, out int start);
        if (options.Timeout is null && _slots[start].TryGetOpenSession(out var session))
        {
            // The usual case, the server's connection is up: only the result is awaited. The session's reader links the
            // job to its handle when JOB_CREATED arrives, so nothing resumes here in between.
            var direct = new GearmanJob(function, wantsUpdates: false);
            var request = new PendingRequest(submission.Type, direct, 3, submission.FunctionBytes, submission.Unique, payload,
                failsJob: true);
            session.Enqueue(request);
            try
            {
                return await direct.Completion.WaitAsync(cancellationToken);
            }
            catch (GearmanConnectionException) when (!direct.IsAccepted)
            {
                // The connection broke before the server took the job: submit it again the long way, which fails over.
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                session.Abandon(request);
                throw;
            }
        }
        var job = await StartCoreAsync(submission, options, start, cancellationToken);
        try
        {
            return await job.Completion.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            job.Forget();
            throw;
        }
    }

    /// <summary>Submits a background job and returns its handle once the server accepted (and, if it persists, stored) it.</summary>
    public async ValueTask<JobHandle> SubmitBackgroundAsync(string function, ReadOnlyMemory<byte> payload, JobOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= JobOptions.Default;
        var functionBytes = _functions.Encode(function);
        // libgearman gives background jobs a UUID so a persistent queue can key them; routing still follows the caller's unique.
        var unique = FunctionNames.EncodeUnique(options.Unique ?? Guid.NewGuid().ToString());
        var type = options.Priority switch
        {
            JobPriority.High => PacketType.SubmitJobHighBg,
            JobPriority.Low => PacketType.SubmitJobLowBg,
            _ => PacketType.SubmitJobBg,
        };
        ReadOnlyMemory<byte> epoch = default;
        if (options.RunAt is { } runAt)
        {
            if (options.Priority != JobPriority.Normal)
                throw new ArgumentException("a job with RunAt is always normal priority (SUBMIT_JOB_EPOCH)", nameof(options));
            type = PacketType.SubmitJobEpoch;
            epoch = Encoding.ASCII.GetBytes(Math.Max(0, runAt.ToUnixTimeSeconds()).ToString(CultureInfo.InvariantCulture));
        }
        var submission = new Submission(type, function, functionBytes, unique, epoch, payload, WantsUpdates: false);
        int start = ServerIndexFor(options.Unique, unique, payload.Span);
        using var deadline = options.Timeout is { } t ? new CancellationTokenSource(t) : null;
        using var linked = deadline is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await WithFailoverAsync(start, submission, static async (session, s, ct) =>
            {
                var request = s.Type == PacketType.SubmitJobEpoch
                    ? new PendingRequest(s.Type, null, 4, s.FunctionBytes, s.Unique, s.Epoch, s.Payload)
                    : new PendingRequest(s.Type, null, 3, s.FunctionBytes, s.Unique, s.Payload);
                var reply = await session.RequestAsync(request, ct);
                return new JobHandle(session.Server, reply.ArgumentString(0));
            }, linked?.Token ?? cancellationToken);
        }
        catch (OperationCanceledException) when (deadline is { IsCancellationRequested: true } && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no job server accepted the background job for '{function}' within {options.Timeout}");
        }
    }

    /// <summary>A foreground submit's packet fields, and the index of the server it goes to first.</summary>
    private Submission Foreground(string function, ReadOnlyMemory<byte> payload, JobOptions options, bool wantsUpdates, out int start)
    {
        if (options.RunAt is not null)
            throw new ArgumentException("RunAt applies to background jobs only (SubmitBackgroundAsync)", nameof(options));
        var functionBytes = _functions.Encode(function);
        var unique = options.Unique is null ? [] : FunctionNames.EncodeUnique(options.Unique);
        var type = options.Priority switch
        {
            JobPriority.High => PacketType.SubmitJobHigh,
            JobPriority.Low => PacketType.SubmitJobLow,
            _ => PacketType.SubmitJob,
        };
        start = ServerIndexFor(options.Unique, unique, payload.Span);
        return new Submission(type, function, functionBytes, unique, default, payload, wantsUpdates);
    }

    private async ValueTask<GearmanJob> StartCoreAsync(Submission submission, JobOptions options, int start,
        CancellationToken cancellationToken)
    {
        var deadline = options.Timeout is { } t ? new CancellationTokenSource(t) : null;
        using var linked = deadline is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            var job = await WithFailoverAsync(start, submission, static async (session, s, ct) =>
            {
                var job = new GearmanJob(s.Function, s.WantsUpdates);
                await session.RequestAsync(new PendingRequest(s.Type, job, 3, s.FunctionBytes, s.Unique, s.Payload), ct);
                return job;
            }, linked?.Token ?? cancellationToken);
            if (deadline is not null)
                job.ArmDeadline(deadline, options.Timeout!.Value);
            return job;
        }
        catch (OperationCanceledException) when (deadline is { IsCancellationRequested: true } && !cancellationToken.IsCancellationRequested)
        {
            deadline.Dispose();
            throw new TimeoutException($"no job server accepted the job for '{submission.Function}' within {options.Timeout}");
        }
        catch
        {
            deadline?.Dispose();
            throw;
        }
    }
}
