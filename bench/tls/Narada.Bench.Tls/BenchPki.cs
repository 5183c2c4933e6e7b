using System.Net;
using Narada.Gearman.Tls;
using Narada.JobServer.Security;

namespace Narada.Bench.Tls;

/// <summary>A throwaway CA with a loopback server certificate and client certificates, as PEM files in a temp directory.</summary>
internal sealed class BenchPki : IDisposable
{
    private readonly CertificateAuthority _ca;
    private readonly string _dir = Directory.CreateTempSubdirectory("narada-bench-pki-").FullName;

    private BenchPki()
    {
        _ca = CertificateAuthority.Create("Bench CA", TimeSpan.FromDays(1));
        CertificatePem.Write(_ca.Certificate, File("ca.pem"), File("ca.key"));
        using var server = _ca.IssueServer(["localhost"], [IPAddress.Loopback], TimeSpan.FromDays(1));
        CertificatePem.Write(server, File("server.pem"), File("server.key"));
        ServerOptions = new TlsServerOptions
        {
            CertificateFile = File("server.pem"), KeyFile = File("server.key"), ClientCaFile = File("ca.pem"), RequireClientCertificate = true,
        };
    }

    public TlsServerOptions ServerOptions { get; }

    public static BenchPki Create() => new();

    public GearmanTlsOptions ClientTls(string name)
    {
        using var certificate = _ca.IssueClient(name);
        CertificatePem.Write(certificate, File(name + ".pem"), File(name + ".key"));
        return new GearmanTlsOptions { CaFile = File("ca.pem"), CertificateFile = File(name + ".pem"), KeyFile = File(name + ".key") };
    }

    private string File(string name) => Path.Combine(_dir, name);

    public void Dispose()
    {
        _ca.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
