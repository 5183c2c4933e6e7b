namespace Narada.Bench.Load;

/// <summary>What one run of one workload did: jobs finished, wall seconds, per-job latency, and the server's CPU time.</summary>
public sealed record Measurement(long Jobs, double Seconds, LatencySample Latency)
{
    /// <summary>CPU seconds (user + system) the job server process spent during the run; null when it runs in-process.</summary>
    public double? ServerCpuSeconds { get; init; }

    /// <summary>CPU seconds this benchmark process spent during the run: the load generator's cost when it runs in-process.</summary>
    public double? LoadCpuSeconds { get; init; }

    /// <summary>For background jobs: seconds from the first submit until the last job had run; null otherwise.</summary>
    public double? DrainedSeconds { get; init; }

    public double JobsPerSecond => Seconds > 0 ? Jobs / Seconds : 0;

    /// <summary>Jobs per CPU second of the server: how much work the server does per unit of machine it takes.</summary>
    public double? JobsPerServerCpuSecond => ServerCpuSeconds is > 0 and var cpu ? Jobs / cpu : null;

    /// <summary>Microseconds of load-generator CPU per job.</summary>
    public double? LoadCpuMicrosecondsPerJob => LoadCpuSeconds is { } cpu && Jobs > 0 ? cpu * 1e6 / Jobs : null;

    /// <summary>Several runs as one: total jobs over total seconds, percentiles over every job.</summary>
    public static Measurement Merge(IReadOnlyList<Measurement> runs)
    {
        var latency = new LatencySample();
        foreach (var r in runs)
            latency.AddRange(r.Latency.Values);
        return new Measurement(runs.Sum(r => r.Jobs), runs.Sum(r => r.Seconds), latency)
        {
            ServerCpuSeconds = runs.All(r => r.ServerCpuSeconds is not null) ? runs.Sum(r => r.ServerCpuSeconds) : null,
            LoadCpuSeconds = runs.All(r => r.LoadCpuSeconds is not null) ? runs.Sum(r => r.LoadCpuSeconds) : null,
            DrainedSeconds = runs.All(r => r.DrainedSeconds is not null) ? runs.Sum(r => r.DrainedSeconds) : null,
        };
    }
}
