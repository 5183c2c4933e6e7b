using System.Net;
using Narada.JobServer;
using Narada.JobServer.Security;
using Narada.Testing;
using GearmanJobServer = Narada.JobServer.JobServer;

namespace Narada.Cli.Tests.Verbs;

/// <summary>The gearman-style verbs over TLS: narada worker and narada submit with client certificates against a TLS-only job server.</summary>
public sealed class TlsVerbTests : IAsyncLifetime
{
    private readonly TestPki _pki = TestPki.Create();
    private GearmanJobServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = new GearmanJobServer(new JobServerOptions
        {
            ListenAddresses = [IPAddress.Loopback],
            Port = FreePort.Next(),
            Tls = new TlsServerOptions
            {
                CertificateFile = _pki.ServerCertificateFile,
                KeyFile = _pki.ServerKeyFile,
                ClientCaFile = _pki.CaFile,
                RequireClientCertificate = true,
            },
        });
        await _server.StartAsync();
    }

    [Fact]
    public async Task Submit_and_worker_talk_through_a_tls_job_server_with_certificates_and_fail_without()
    {
        var (cert, key) = _pki.IssueClient("cli-test");
        string[] tls = ["--tls-ca", _pki.CaFile, "--tls-cert", cert, "--tls-key", key];
        string[] server = ["--server", $"127.0.0.1:{_server.Endpoint.Port}"];
        await using var worker = NaradaCli.Start(["worker", "-f", "reverse", .. server, .. tls, "--", "/usr/bin/rev"]);
        await Retry.UntilAsync(async () =>
        {
            var status = await NaradaCli.RunAsync(["admin", "status", .. server, .. tls]);
            return status.Stdout.Contains("reverse");
        }, "the TLS worker to register", TimeSpan.FromSeconds(30));

        var answer = await NaradaCli.RunAsync(["submit", "-f", "reverse", .. server, .. tls, "Hello World!"]);
        Assert.True(answer.ExitCode == 0, answer.ToString());
        Assert.Equal("!dlroW olleH", answer.Stdout.Trim());

        var plain = await NaradaCli.RunAsync(["submit", "-f", "reverse", "-t", "3000", .. server, "Hello World!"]);
        Assert.NotEqual(0, plain.ExitCode);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _pki.Dispose();
    }
}
