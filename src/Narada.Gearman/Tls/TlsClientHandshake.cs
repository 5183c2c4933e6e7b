using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Narada.Gearman.Transport;

namespace Narada.Gearman.Tls;

/// <summary>Wraps a connected stream in TLS as a client: verifies the server's chain and name, presents a certificate.</summary>
internal static class TlsClientHandshake
{
    public static async ValueTask<SslStream> AuthenticateAsync(Stream inner, ServerAddress server, GearmanTlsOptions options,
        CancellationToken cancellationToken)
    {
        options.Validate();
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(ClientOptions(server, options), cancellationToken);
            return ssl;
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            await ssl.DisposeAsync();
            throw new GearmanConnectionException(server, "TLS handshake failed: " + Describe(e), e);
        }
        catch
        {
            await ssl.DisposeAsync();
            throw;
        }
    }

    private static SslClientAuthenticationOptions ClientOptions(ServerAddress server, GearmanTlsOptions options)
    {
        var result = new SslClientAuthenticationOptions
        {
            TargetHost = options.TargetHost ?? server.Host,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
        if (options.CaFile is not null)
        {
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            policy.CustomTrustStore.AddRange(PemFiles.LoadCertificates(options.CaFile));
            result.CertificateChainPolicy = policy;
        }
        if (options.CertificateFile is not null)
        {
            var certificate = PemFiles.LoadCertificateWithKey(options.CertificateFile, options.KeyFile);
            result.ClientCertificateContext = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);
        }
        if (options.AllowUntrusted)
            result.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        return result;
    }

    private static string Describe(Exception e) =>
        e.InnerException is { } inner && inner.Message != e.Message ? $"{e.Message} ({inner.Message})" : e.Message;
}
