using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Narada.Gearman.Tls;

/// <summary>A small private CA (ECDSA P-256) that issues job server, agent and controller certificates for a fleet.</summary>
public sealed class CertificateAuthority : IDisposable
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    private CertificateAuthority(X509Certificate2 certificate) => Certificate = certificate;

    /// <summary>The CA certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>A new self-signed CA named <paramref name="commonName"/>, valid from <paramref name="notBefore"/> (default:
    /// now) for <paramref name="lifetime"/>; certificates it issues cannot start before it.</summary>
    public static CertificateAuthority Create(string commonName, TimeSpan lifetime, DateTimeOffset? notBefore = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(DistinguishedName(commonName), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var from = notBefore ?? DateTimeOffset.UtcNow.AddMinutes(-5);
        return new CertificateAuthority(request.CreateSelfSigned(from, from + lifetime));
    }

    /// <summary>Loads a CA from its PEM certificate and key (as written by <see cref="CertificatePem.Write"/>).</summary>
    public static CertificateAuthority Load(string certificateFile, string keyFile)
    {
        var certificate = PemFiles.LoadCertificateWithKey(certificateFile, keyFile);
        if (certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true })
        {
            certificate.Dispose();
            throw new InvalidDataException($"'{certificateFile}' is not a CA certificate (no basic constraints CA:true)");
        }
        return new CertificateAuthority(certificate);
    }

    /// <summary>A job server certificate: CN and DNS SANs from <paramref name="dnsNames"/>, IP SANs, serverAuth.</summary>
    public X509Certificate2 IssueServer(IReadOnlyList<string> dnsNames, IReadOnlyList<IPAddress> addresses, TimeSpan lifetime)
    {
        if (dnsNames.Count == 0 && addresses.Count == 0)
            throw new ArgumentException("a server certificate needs at least one DNS name or IP address", nameof(dnsNames));
        var now = DateTimeOffset.UtcNow;
        return Issue(dnsNames.Count > 0 ? dnsNames[0] : addresses[0].ToString(), dnsNames, addresses, ServerAuth,
            now.AddMinutes(-5), now + lifetime);
    }

    /// <summary>
    /// A client certificate (agent or controller): CN and one DNS SAN = <paramref name="commonName"/>, clientAuth.
    /// <paramref name="notBefore"/>/<paramref name="notAfter"/> default to now and now + 1 year.
    /// </summary>
    public X509Certificate2 IssueClient(string commonName, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        var from = notBefore ?? DateTimeOffset.UtcNow.AddMinutes(-5);
        return Issue(commonName, [commonName], [], ClientAuth, from, notAfter ?? from.AddYears(1));
    }

    private X509Certificate2 Issue(string commonName, IReadOnlyList<string> dnsNames, IReadOnlyList<IPAddress> addresses,
        Oid usage, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(DistinguishedName(commonName), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        var names = new SubjectAlternativeNameBuilder();
        foreach (var dns in dnsNames)
            names.AddDnsName(dns);
        foreach (var address in addresses)
            names.AddIpAddress(address);
        request.CertificateExtensions.Add(names.Build());
        if (notAfter > Certificate.NotAfter)
            notAfter = Certificate.NotAfter;
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var issued = request.Create(Certificate, notBefore, notAfter, serial);
        return issued.CopyWithPrivateKey(key);
    }

    private static X500DistinguishedName DistinguishedName(string commonName)
    {
        if (string.IsNullOrWhiteSpace(commonName) || commonName.Contains(',') || commonName.Contains('='))
            throw new ArgumentException($"'{commonName}' is not a usable certificate name", nameof(commonName));
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName(commonName);
        return builder.Build();
    }

    public void Dispose() => Certificate.Dispose();
}
