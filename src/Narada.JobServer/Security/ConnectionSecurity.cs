using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Narada.JobServer.Security;

/// <summary>
/// What the listener does for security on each accepted socket: the TLS handshake (which yields the peer's identity)
/// and the per-connection ACL gate. Built once at start, so bad certificate or ACL files fail the start, not a client.
/// </summary>
internal sealed class ConnectionSecurity
{
    private readonly TlsServerAuthenticator? _tls;
    private readonly AclPolicy? _acl;
    private readonly Counter _denials;
    private readonly ILogger _logger;

    private ConnectionSecurity(TlsServerAuthenticator? tls, AclPolicy? acl, Counter denials, ILogger logger)
    {
        _tls = tls;
        _acl = acl;
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

    /// <summary>One line for the start message.</summary>
    public string Describe() =>
        (_tls is null ? "" : ", TLS") + (_acl is null ? "" : $", ACL of {_acl.Rules.Count} rules");

    /// <summary>
    /// Runs the TLS handshake when TLS is on; returns the stream to speak over (null: the plain socket) and the peer's
    /// identity, or <c>Refused</c> after logging why (bad, expired, foreign or missing certificate, or no TLS at all).
    /// </summary>
    public async Task<(bool Refused, Stream? Stream, PeerIdentity Identity)> HandshakeAsync(Socket socket, string remote,
        CancellationToken cancellationToken)
    {
        if (_tls is null)
            return (false, null, PeerIdentity.Anonymous);
        try
        {
            var (stream, identity) = await _tls.AuthenticateAsync(new NetworkStream(socket, ownsSocket: false), cancellationToken);
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
