using Narada.Gearman.Transport;
using Narada.JobServer.Security;
using Narada.Testing;

namespace Narada.JobServer.Tests.Security;

/// <summary>An in-process Narada job server with TLS (client certificates required) and the fleet ACL, for one test.</summary>
internal sealed class SecuredJobServer : IAsyncDisposable
{
    public const string FleetAcl = """
        rules:
          - identity: controller
            submit: ["narada.*", reverse]
            register: [narada.results]
            admin: [read, write]
          - identity: "*"
            register: ["narada.*@{cn}", reverse]
            submit: [narada.results]
            admin: [read]
        """;

    private SecuredJobServer(TestPki pki, JobServer server, int metricsPort)
    {
        Pki = pki;
        Server = server;
        MetricsPort = metricsPort;
    }

    public TestPki Pki { get; }
    public JobServer Server { get; }
    public int MetricsPort { get; }
    public ServerAddress Address => new("127.0.0.1", Server.Endpoint.Port);

    public static async Task<SecuredJobServer> StartAsync(string? acl = FleetAcl, bool requireClientCertificate = true)
    {
        var pki = TestPki.Create();
        int metricsPort = FreePort.Next();
        var server = new JobServer(new JobServerOptions
        {
            Port = FreePort.Next(),
            JobHandlePrefix = "H:tls",
            MetricsPort = metricsPort,
            Tls = new TlsServerOptions
            {
                CertificateFile = pki.ServerCertificateFile,
                KeyFile = pki.ServerKeyFile,
                ClientCaFile = pki.CaFile,
                RequireClientCertificate = requireClientCertificate,
            },
            Acl = acl is null ? null : AclPolicyReader.Parse(acl),
        });
        await server.StartAsync();
        return new SecuredJobServer(pki, server, metricsPort);
    }

    public async Task<string> ScrapeAsync()
    {
        using var http = new HttpClient();
        return await http.GetStringAsync($"http://127.0.0.1:{MetricsPort}/metrics");
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Pki.Dispose();
    }
}
