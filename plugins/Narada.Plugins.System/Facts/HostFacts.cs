namespace Narada.Plugins.System.Facts;

/// <summary>What an agent tells the controller about its host; the agent maps it onto the heartbeat envelope.</summary>
public sealed record HostFacts
{
    /// <summary>The kernel's host name (<c>hostname</c>), not truncated at the first dot.</summary>
    public required string Hostname { get; init; }

    /// <summary>The canonical name the resolver gives the host name; the host name itself when it cannot.</summary>
    public required string Fqdn { get; init; }

    /// <summary>os-release <c>ID</c>, e.g. <c>debian</c>; null without /etc/os-release.</summary>
    public string? OsId { get; init; }

    /// <summary>os-release <c>PRETTY_NAME</c>, e.g. <c>Debian GNU/Linux 12 (bookworm)</c>.</summary>
    public string? OsPrettyName { get; init; }

    /// <summary>os-release <c>VERSION_ID</c>, e.g. <c>12</c>; rolling releases have none.</summary>
    public string? OsVersion { get; init; }

    /// <summary>The running kernel's release (<c>uname -r</c>).</summary>
    public string? Kernel { get; init; }

    /// <summary>The machine architecture as <c>uname -m</c> spells it: x86_64, aarch64, ...</summary>
    public required string Architecture { get; init; }

    /// <summary>Processors this agent may use (<see cref="Environment.ProcessorCount"/>).</summary>
    public required int Cpus { get; init; }

    /// <summary>The first CPU's model name from /proc/cpuinfo, when the architecture reports one.</summary>
    public string? CpuModel { get; init; }

    /// <summary>MemTotal in bytes.</summary>
    public long? MemoryBytes { get; init; }

    /// <summary>Every address on the host except loopback and IPv6 link-local, as <c>hostname -I</c> lists them.</summary>
    public required IReadOnlyList<string> Addresses { get; init; }

    public double? UptimeSeconds { get; init; }

    public DateTimeOffset? BootTime { get; init; }

    public required VirtualizationHints Virtualization { get; init; }
}
