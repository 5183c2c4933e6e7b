using System.Text.Json.Serialization;

namespace Narada.Core.Contracts;

/// <summary>An agent announcing itself on <c>narada.results</c> every few seconds: who it is, what it can run, its facts.</summary>
public sealed record Heartbeat : IEnvelope
{
    public const string TypeName = "heartbeat";

    [JsonRequired]
    public int V { get; set; } = Envelope.Version;

    public string Type { get; set; } = TypeName;

    public required string Host { get; init; }

    public IReadOnlyList<string> Tags { get; set; } = [];

    /// <summary>Every <c>plugin.command</c> the agent's manifests declare, plus built-ins.</summary>
    public IReadOnlyList<string> Plugins { get; set; } = [];

    public string Version { get; set; } = "";

    /// <summary>
    /// A random id the agent draws when it starts. Two agents that send heartbeats under one host name (a cloned
    /// machine keeps its name) show up as two instances taking turns; empty from agents that predate it.
    /// </summary>
    public string Instance { get; set; } = "";

    /// <summary>Seconds until the next heartbeat, so the controller knows when this host turns stale.</summary>
    public int IntervalS { get; set; }

    public Facts Facts { get; set; } = new();

    public string? FindProblem() =>
        Type != TypeName ? $"type is '{Type}', expected '{TypeName}'"
        : Host.Length == 0 ? "host is empty"
        : IntervalS < 0 ? $"interval_s {IntervalS} is negative"
        : Tags.Any(t => t is null) || Plugins.Any(p => p is null) ? "tags or plugins hold a null"
        : Facts.Addresses.Any(a => a is null) || Facts.Extra.Any(e => e.Value is null) ? "facts hold a null"
        : null;
}
