using Narada.Gearman.Protocol;
using Narada.Gearman.Tls;
using Narada.Gearman.Transport;

namespace Narada.Gearman.Client;

/// <summary>How a <see cref="GearmanClient"/> finds and talks to its job servers.</summary>
public sealed record GearmanClientOptions
{
    /// <summary>The job servers, in order; uniques are hashed over this list, so every client of a pool should list them alike.</summary>
    public IReadOnlyList<ServerAddress> Servers { get; init; } = ServerAddress.FromEnvironment();

    /// <summary>How long one connection attempt may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a server that refused a connection is passed over before it is tried again.</summary>
    public TimeSpan RetryDownServerAfter { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Send OPTION_REQ <c>exceptions</c> on connect so WORK_EXCEPTION reaches this client instead of WORK_FAIL.</summary>
    public bool Exceptions { get; init; }

    /// <summary>TLS on every server connection; null speaks plain TCP.</summary>
    public GearmanTlsOptions? Tls { get; init; }

    /// <summary>Size limits applied to what the servers send.</summary>
    public PacketLimits Limits { get; init; } = PacketLimits.Default;

    /// <summary>The servers from <c>GEARMAN_SERVER</c> (or the local default) and default settings.</summary>
    public static GearmanClientOptions Default { get; } = new();
}
