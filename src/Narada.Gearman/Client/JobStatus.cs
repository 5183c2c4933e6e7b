namespace Narada.Gearman.Client;

/// <summary>A server's answer to GET_STATUS: whether it knows the job, whether a worker runs it, and its progress.</summary>
public sealed record JobStatus(JobHandle Handle, bool Known, bool Running, long Numerator, long Denominator);

/// <summary>A server's answer to GET_STATUS_UNIQUE, which also counts the foreground clients waiting on the job.</summary>
public sealed record UniqueStatus(string Unique, bool Known, bool Running, long Numerator, long Denominator, long WaitingClients);
