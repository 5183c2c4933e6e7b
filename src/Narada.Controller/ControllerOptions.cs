using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Narada.Gearman.Transport;

namespace Narada.Controller;

/// <summary>How a controller runs: where its definitions, job servers, state and HTTP endpoint are.</summary>
public sealed record ControllerOptions
{
    /// <summary>Where state and history live: null for <c>controller.db</c> (SQLite) in <see cref="DataDirectory"/>;
    /// a PostgreSQL location makes this controller a member of the cluster that shares it.</summary>
    public Store.StoreLocation? Store { get; init; }

    /// <summary>In a cluster: a member that has not checked in for this long is dropped (members check in every
    /// <see cref="SweepInterval"/>).</summary>
    public TimeSpan MemberTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Directory of YAML definitions (config/).</summary>
    public string ConfigDirectory { get; init; } = "config";

    /// <summary>Job servers to dispatch through and take results from; jobs with a unique hash across them.</summary>
    public IReadOnlyList<ServerAddress> Servers { get; init; } = [ServerAddress.Local];

    /// <summary>TLS on every job server connection (dispatch client and results worker); null speaks plain TCP.</summary>
    public Narada.Gearman.Tls.GearmanTlsOptions? Tls { get; init; }

    /// <summary><c>host:port</c> of the HTTP endpoint (/metrics and /api); null for none. Port 0 picks a free one.</summary>
    public string? HttpListen { get; init; } = "127.0.0.1:9640";

    /// <summary>Serve /metrics and /api over HTTPS with this certificate (PEM); null keeps plain HTTP (loopback default).</summary>
    public string? HttpsCertificateFile { get; init; }

    /// <summary>The HTTPS certificate's private key (PEM).</summary>
    public string? HttpsKeyFile { get; init; }

    /// <summary>
    /// With HTTPS: clients may present a certificate from this CA (PEM), and one that does may make changes (POST: apply,
    /// silences) from anywhere. Without it changes are taken from loopback only; reading is open to whoever can connect.
    /// Use a CA of its own for operators: the fleet CA also signs every agent's certificate.
    /// </summary>
    public string? HttpsClientCaFile { get; init; }

    /// <summary>
    /// Users and tokens with their roles (YAML, <see cref="Access.UsersFile"/>): with one, every endpoint but the login
    /// page needs a bearer token, a dashboard session or a client certificate naming a user. Null keeps the loopback
    /// rules above.
    /// </summary>
    public string? UsersFile { get; init; }

    /// <summary>Push the fleet's series to this Prometheus remote-write receiver as well; null: /metrics only.</summary>
    public Metrics.RemoteWrite.RemoteWriteTarget? RemoteWrite { get; init; }

    /// <summary>How long a dashboard login lasts.</summary>
    public TimeSpan SessionLifetime { get; init; } = TimeSpan.FromHours(12);

    /// <summary>Where the state and history database lives.</summary>
    public string DataDirectory { get; init; } = "data";

    /// <summary>Largest per-host offset inside an interval.</summary>
    public TimeSpan MaxSplay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often stale checks and silent hosts are looked for.</summary>
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A host down this long is forgotten with its checks and series (agents that were decommissioned).</summary>
    public TimeSpan ForgetHostsAfter { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How many narada.results messages are processed at once: enough grabs in flight that a busy job server's
    /// round trips do not pace intake, and that the results waiting for one history commit share it.</summary>
    public int ResultConcurrency { get; init; } = 64;

    /// <summary>How long results and events are kept.</summary>
    public TimeSpan HistoryRetention { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Directory of secret files templates may read with <c>secret "name"</c> (also NARADA_SECRET_NAME variables).</summary>
    public string? SecretsDirectory { get; init; }

    /// <summary>Reload definitions when files under ConfigDirectory change.</summary>
    public bool WatchConfig { get; init; } = true;

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    public static ControllerOptions Default { get; } = new();
}
