using System.Net;
using Narada.Gearman.Tls;

namespace Narada.Testing;

/// <summary>
/// A throwaway CA in a temp directory with a job server certificate for 127.0.0.1/localhost; client certificates are
/// issued on demand. Everything is PEM on disk, the form gearmand, Perl and Narada all read.
/// </summary>
public sealed class TestPki : IDisposable
{
    private readonly CertificateAuthority _ca;

    private TestPki(string commonName)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("narada-pki-").FullName;
        // Backdated so tests can issue certificates that have already expired.
        _ca = CertificateAuthority.Create(commonName, TimeSpan.FromDays(60), DateTimeOffset.UtcNow.AddDays(-30));
        CaFile = Path.Combine(Directory, "ca.pem");
        CertificatePem.Write(_ca.Certificate, CaFile, Path.Combine(Directory, "ca.key"));
        using var server = _ca.IssueServer(["localhost"], [IPAddress.Loopback], TimeSpan.FromDays(1));
        ServerCertificateFile = Path.Combine(Directory, "server.pem");
        ServerKeyFile = Path.Combine(Directory, "server.key");
        CertificatePem.Write(server, ServerCertificateFile, ServerKeyFile);
    }

    public string Directory { get; }
    public string CaFile { get; }
    public string ServerCertificateFile { get; }
    public string ServerKeyFile { get; }

    public static TestPki Create(string commonName = "Narada Test CA") => new(commonName);

    /// <summary>Issues a client certificate for <paramref name="name"/>; returns (certificate file, key file).</summary>
    public (string Certificate, string Key) IssueClient(string name, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var certificate = _ca.IssueClient(name, notBefore, notAfter);
        var stem = Path.Combine(Directory, $"{name}-{Guid.NewGuid():N}");
        CertificatePem.Write(certificate, stem + ".pem", stem + ".key");
        return (stem + ".pem", stem + ".key");
    }

    /// <summary>TLS options that trust this CA and, when <paramref name="clientName"/> is given, present its certificate.</summary>
    public GearmanTlsOptions ClientTls(string? clientName = null)
    {
        if (clientName is null)
            return new GearmanTlsOptions { CaFile = CaFile };
        var (certificate, key) = IssueClient(clientName);
        return new GearmanTlsOptions { CaFile = CaFile, CertificateFile = certificate, KeyFile = key };
    }

    /// <summary>gearmand arguments serving TLS with this PKI's server certificate.</summary>
    public string[] GearmandArguments() =>
        ["--ssl", $"--ssl-ca-file={CaFile}", $"--ssl-certificate={ServerCertificateFile}", $"--ssl-key={ServerKeyFile}"];

    public void Dispose()
    {
        _ca.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
