using Narada.Core.Formats;

namespace Narada.Core.Contracts;

/// <summary>
/// A result any host may push without being asked, e.g.
/// <c>gearman -b -f narada.results '{"type":"passive","host":"web01","name":"backup","status":0,"output":"OK"}'</c>.
/// <c>"v"</c> may be left out here (it defaults to 1) so hand-written shell one-liners stay short.
/// </summary>
public sealed record PassiveResult : IEnvelope
{
    public const string TypeName = "passive";

    public int V { get; set; } = Envelope.Version;

    public string Type { get; set; } = TypeName;

    public required string Host { get; init; }

    public required string Name { get; init; }

    public required CheckStatus Status { get; init; }

    /// <summary>Nagios-style text; perfdata after a <c>|</c> is read like a plugin's.</summary>
    public required string Output { get; init; }

    public string LongOutput { get; set; } = "";

    /// <summary>When the result was true; null means when it arrived.</summary>
    public DateTimeOffset? Timestamp { get; set; }

    public string? FindProblem() =>
        Type != TypeName ? $"type is '{Type}', expected '{TypeName}'"
        : Host.Length == 0 ? "host is empty"
        : Name.Length == 0 ? "name is empty"
        : !Enum.IsDefined(Status) ? $"status {(int)Status} is not 0-3"
        : null;
}
