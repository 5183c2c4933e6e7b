namespace Narada.Gearman.Worker;

/// <summary>
/// Does one job: the returned bytes are sent as WORK_COMPLETE; throwing <see cref="GearmanJobFailedException"/> sends
/// WORK_FAIL and any other exception WORK_EXCEPTION with its message. The token fires when the worker stops past its
/// deadline or loses the connection the job came on.
/// </summary>
public delegate ValueTask<ReadOnlyMemory<byte>> JobHandler(GearmanJobContext job, CancellationToken cancellationToken);
