using Narada.JobServer.Engine;

namespace Narada.JobServer.Persistence;

/// <summary>A background job as the persistent queue keeps it.</summary>
internal sealed record StoredJob(long Id, string Function, string Unique, JobPriority Priority, long RunAt, byte[] Data);
