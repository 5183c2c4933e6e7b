using Narada.Gearman.Client;
using Narada.Gearman.Transport;

namespace Narada.Cli.Commands.Gearman;

/// <summary>Everything <c>narada submit</c> was asked to do, parsed.</summary>
internal sealed record SubmitRequest
{
    public required IReadOnlyList<ServerAddress> Servers { get; init; }

    /// <summary>TLS to the job servers, or null for plain TCP.</summary>
    public Narada.Gearman.Tls.GearmanTlsOptions? Tls { get; init; }
    public required IReadOnlyList<string> Functions { get; init; }
    public required JobOptions Options { get; init; }
    public required WorkloadSource Workloads { get; init; }
    public bool Background { get; init; }
    public bool Prefix { get; init; }
    public bool Verbose { get; init; }
    public bool Json { get; init; }
}
