using Narada.Gearman.Transport;

namespace Narada.Agent.Configuration;

/// <summary>Command-line values (<c>--server</c>, <c>--name</c>) that win over the file.</summary>
public sealed record AgentConfigOverrides
{
    /// <summary>Replaces the file's whole server list when not empty.</summary>
    public IReadOnlyList<ServerAddress> Servers { get; init; } = [];

    public string? Name { get; init; }
}
