using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Narada.Gearman.Tls;

namespace Narada.JobServer.Security;

/// <summary>
/// Runs the server side of the TLS handshake for each accepted connection and reports the client's verified identity.
/// Certificates are loaded once; a client certificate must chain to the client CA, be in its validity period and
/// allow client authentication.
/// </summary>
public sealed class TlsServerAuthenticator
{
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");
    private readonly TlsServerOptions _options;
    private readonly SslServerAuthenticationOptions _ssl;

    public TlsServerAuthenticator(TlsServerOptions options)
    {
        options.Validate();
        _options = options;
        var certificate = PemFiles.LoadCertificateWithKey(options.CertificateFile, options.KeyFile);
        NotAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        _ssl = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true),
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ClientCertificateRequired = options.ClientCaFile is not null,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
        if (options.ClientCaFile is not null)
        {
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            policy.CustomTrustStore.AddRange(PemFiles.LoadCertificates(options.ClientCaFile));
            policy.ApplicationPolicy.Add(ClientAuthentication);
            _ssl.CertificateChainPolicy = policy;
            bool required = options.RequireClientCertificate;
            _ssl.RemoteCertificateValidationCallback = (_, presented, _, errors) =>
                presented is null ? !required : errors == SslPolicyErrors.None;
        }
    }

    /// <summary>When the server certificate stops being valid.</summary>
    public DateTimeOffset NotAfter { get; }

    /// <summary>Handshakes over <paramref name="inner"/>; throws <see cref="AuthenticationException"/> (or IOException) when refused.</summary>
    public async Task<(SslStream Stream, PeerIdentity Identity)> AuthenticateAsync(Stream inner, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.HandshakeTimeout);
        try
        {
            await ssl.AuthenticateAsServerAsync(_ssl, deadline.Token);
        }
        catch
        {
            await ssl.DisposeAsync();
            throw;
        }
        var identity = ssl.RemoteCertificate is { } remote && _options.ClientCaFile is not null
            ? PeerIdentity.FromCertificate(remote as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(remote.GetRawCertData()))
            : PeerIdentity.Anonymous;
        return (ssl, identity);
    }
}
