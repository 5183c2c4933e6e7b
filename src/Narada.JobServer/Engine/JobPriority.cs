namespace Narada.JobServer.Engine;

/// <summary>The three FIFO lists of a function, best first; the numbers index per-priority arrays.</summary>
internal enum JobPriority
{
    High = 0,
    Normal = 1,
    Low = 2,
}
