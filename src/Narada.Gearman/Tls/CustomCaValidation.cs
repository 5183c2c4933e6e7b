using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Narada.Gearman.Tls;

/// <summary>Validates a peer certificate against one private CA instead of the system store (the fleet's own PKI).</summary>
public static class CustomCaValidation
{
    /// <summary>True when <paramref name="certificate"/> chains to a certificate in <paramref name="caFile"/> and
    /// the only other complaint is the missing system trust.</summary>
    public static bool Validate(string caFile, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(PemFiles.LoadCertificates(caFile));
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }
}
