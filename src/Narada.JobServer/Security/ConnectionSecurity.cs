using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Narada.JobServer.Security;

/// <summary>
/// What the listener does for security on each accepted socket: the TLS handshake (which yields the peer's identity)
/// and the per-connection ACL gate. Built at start, so bad certificate or ACL files fail the start, not a client; a
/// reload swaps in new ones whole, or keeps the old ones when the new files do not load.
/// </summary>
internal sealed class ConnectionSecurity
{
    private TlsServerAuthenticator? _tls;
    private readonly AclSource? _acl;
    private readonly Counter _denials;
    private readonly ILogger _logger;

    private ConnectionSecurity(TlsServerAuthenticator? tls, AclPolicy? acl, Counter denials, ILogger logger)
    {
        _tls = tls;
        _acl = acl is null ? null : new AclSource(acl);
        _denials = denials;
        _logger = logger;
    }

    /// <summary>Null when neither TLS nor an ACL is configured: connections run exactly as before.</summary>
    public static ConnectionSecurity? Create(JobServerOptions options, CollectorRegistry registry, ILogger logger)
    {
        if (options.Tls is null && options.Acl is null)
            return null;
        var tls = options.Tls is null ? null : new TlsServerAuthenticator(options.Tls);
        return new ConnectionSecurity(tls, options.Acl, AclGate.CreateDenialCounter(registry), logger);
    }

    /// <summary>When the certificate presented to new connections stops being valid; null without TLS.</summary>
    public DateTimeOffset? CertificateNotAfter => Volatile.Read(ref _tls)?.NotAfter;

    /// <summary>One line for the start message.</summary>
    public string Describe() =>
        (_tls is null ? "" : ", TLS") + (_acl is null ? "" : $", ACL of {_acl.Policy.Rules.Count} rules");

    /// <summary>
    /// Loads <paramref name="options"/>' certificates and takes its ACL: connections accepted from now on handshake with
    /// the new certificates, and every connection's next request is judged by the new ACL. Throws, changing nothing,
    /// when a file does not load or the reload would turn TLS or the ACL on or off (that takes a restart).
    /// </summary>
    public void Reload(JobServerOptions options)
    {
        if ((options.Tls is null) != (_tls is null) || (options.Acl is null) != (_acl is null))
            throw new InvalidOperationException("a reload changes the certificates and the ACL but does not turn TLS or the ACL on or off: restart for that");
        var tls = options.Tls is null ? null : new TlsServerAuthenticator(options.Tls);
        Volatile.Write(ref _tls, tls);
        if (_acl is not null)
            _acl.Policy = options.Acl!;
    }

    /// <summary>
    /// Runs the TLS handshake when TLS is on; returns the stream to speak over (null: the plain socket) and the peer's
    /// identity, or <c>Refused</c> after logging why (bad, expired, foreign or missing certificate, or no TLS at all).
    /// </summary>
    public async Task<(bool Refused, Stream? Stream, PeerIdentity Identity)> HandshakeAsync(Socket socket, string remote,
        CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _tls) is not { } tls)
            return (false, null, PeerIdentity.Anonymous);
        try
        {
            var (stream, identity) = await tls.AuthenticateAsync(new NetworkStream(socket, ownsSocket: false), cancellationToken);
            return (false, stream, identity);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or SocketException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            SecurityLog.HandshakeRefused(_logger, remote, e.InnerException?.Message ?? e.Message);
            return (true, null, PeerIdentity.Anonymous);
        }
    }

    /// <summary>The ACL gate for one connection; null when no ACL is configured (everything allowed).</summary>
    public AclGate? GateFor(PeerIdentity identity, string remote) =>
        _acl is null ? null : new AclGate(_acl, identity, remote, _logger, _denials);
}
