using Microsoft.Extensions.Logging;
using Narada.Gearman.Protocol;
using Narada.Gearman.Tls;
using Narada.Gearman.Transport;

namespace Narada.Gearman.Worker;

/// <summary>How a <see cref="GearmanWorker"/> connects, how many jobs it runs at once and how it stops.</summary>
public sealed record GearmanWorkerOptions
{
    private IReadOnlyList<ServerAddress>? _servers;

    /// <summary>The options used when nothing else is configured (servers from <c>GEARMAN_SERVER</c>).</summary>
    public static GearmanWorkerOptions Default => new();

    /// <summary>
    /// Every job server to serve; the worker connects to all of them at once. Unset, it is read from
    /// <c>GEARMAN_SERVER</c> (local default when that is unset) on first use, so a malformed variable is a plain
    /// <see cref="FormatException"/> and never matters when servers are given.
    /// </summary>
    public IReadOnlyList<ServerAddress> Servers
    {
        get => _servers ??= ServerAddress.FromEnvironment();
        init => _servers = value;
    }

    /// <summary>Sent with SET_CLIENT_ID so <c>gearadmin --workers</c> names this worker; null sends nothing.</summary>
    public string? ClientId { get; init; }

    /// <summary>Jobs running at once across all servers; beyond it jobs wait in the job server.</summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>First delay before reconnecting to a server that refused or dropped the connection.</summary>
    public TimeSpan ReconnectMinDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Ceiling of the exponential reconnect delay.</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one connection attempt may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long jobs in hand may run on after a stop before they are cancelled and reported WORK_FAIL.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>TLS on every server connection; null speaks plain TCP.</summary>
    public GearmanTlsOptions? Tls { get; init; }

    /// <summary>Size limits applied to every packet from the servers.</summary>
    public PacketLimits Limits { get; init; } = PacketLimits.Default;

    /// <summary>Where connection and job events are logged; null logs nothing.</summary>
    public ILogger? Logger { get; init; }

    internal void Validate()
    {
        if (Servers is null || Servers.Count == 0)
            throw new ArgumentException("at least one job server is needed", nameof(Servers));
        if (Concurrency < 1)
            throw new ArgumentOutOfRangeException(nameof(Concurrency), Concurrency, "must be at least 1");
        if (ReconnectMinDelay <= TimeSpan.Zero || ReconnectMaxDelay < ReconnectMinDelay)
            throw new ArgumentOutOfRangeException(nameof(ReconnectMaxDelay), ReconnectMaxDelay,
                $"reconnect delays must satisfy 0 < min ({ReconnectMinDelay}) <= max");
        if (ConnectTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(ConnectTimeout), ConnectTimeout, "must be positive");
        if (StopTimeout < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(StopTimeout), StopTimeout, "must not be negative");
        if (ClientId is not null && (ClientId.Length == 0 || ClientId.Contains('\0')))
            throw new ArgumentException("client id must be non-empty and contain no NUL", nameof(ClientId));
        ArgumentNullException.ThrowIfNull(Limits);
        Tls?.Validate();
    }
}
