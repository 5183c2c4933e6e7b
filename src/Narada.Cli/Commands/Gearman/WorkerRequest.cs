using Narada.Gearman.Transport;

namespace Narada.Cli.Commands.Gearman;

/// <summary>Everything <c>narada worker</c> was asked to do, parsed.</summary>
internal sealed record WorkerRequest
{
    public required IReadOnlyList<ServerAddress> Servers { get; init; }

    /// <summary>TLS to the job servers, or null for plain TCP.</summary>
    public Narada.Gearman.Tls.GearmanTlsOptions? Tls { get; init; }
    public required IReadOnlyList<string> Functions { get; init; }

    /// <summary>Exit after this many jobs; null serves until stopped.</summary>
    public int? Count { get; init; }

    /// <summary>Whole: the output is the result; Keep/Strip: each output line goes as WORK_DATA.</summary>
    public LineMode Lines { get; init; }

    /// <summary>The program and its arguments, the program resolved to a path; null prints workloads.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    public bool Verbose { get; init; }
}
