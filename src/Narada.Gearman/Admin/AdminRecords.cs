namespace Narada.Gearman.Admin;

/// <summary>One line of <c>status</c>: jobs of a function (queued plus running), how many run, and how many workers can do it.</summary>
public sealed record FunctionStatus(string Function, long Total, long Running, long AvailableWorkers);

/// <summary>One line of <c>prioritystatus</c>: queued (not running) jobs of a function per priority, and its workers.</summary>
public sealed record FunctionPriorityStatus(string Function, long High, long Normal, long Low, long AvailableWorkers);

/// <summary>One line of <c>workers</c>: a connection (clients too), its peer address, client id and registered functions.</summary>
public sealed record WorkerInfo(int Fd, string Address, string ClientId, IReadOnlyList<string> Functions);

/// <summary>One line of <c>show jobs</c>: a job's handle, its retry count, and gearmand's ignore_job and job_queued flags.</summary>
public sealed record QueuedJob(string Handle, int Retries, bool Ignored, bool Queued);
