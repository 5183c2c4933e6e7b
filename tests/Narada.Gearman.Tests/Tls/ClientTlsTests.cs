using Narada.Gearman.Admin;
using Narada.Gearman.Client;
using Narada.Gearman.Tests.Worker;
using Narada.Gearman.Tls;
using Narada.Gearman.Transport;
using Narada.Testing;

namespace Narada.Gearman.Tests.Tls;

/// <summary>The library's client, worker and admin client over TLS against stock gearmand behind an OpenSSL TLS front.</summary>
public sealed class ClientTlsTests
{
    [Fact]
    public async Task Client_and_worker_with_certificates_run_a_job_over_tls()
    {
        using var pki = TestPki.Create();
        await using var server = await TlsTerminatedGearmand.StartAsync(pki, requireClientCertificate: true);
        await using var worker = await RunningWorker.StartAsync(
            RunningWorker.Options() with { Servers = [server.Address], Tls = pki.ClientTls("web01") },
            w => w.Register("reverse", (job, _) =>
                ValueTask.FromResult<ReadOnlyMemory<byte>>(job.Payload.ToArray().Reverse().ToArray())));
        await using var client = new GearmanClient(new GearmanClientOptions { Servers = [server.Address], Tls = pki.ClientTls("controller") });

        var result = await client.SubmitAsync("reverse", "Hello World!"u8.ToArray());

        Assert.Equal(JobOutcome.Completed, result.Outcome);
        Assert.Equal("!dlroW olleH", result.DataAsString());
        await using var admin = await GearmanAdminClient.ConnectAsync(server.Address, tls: pki.ClientTls("admin"));
        var status = await admin.GetStatusAsync();
        Assert.Contains(status, f => f.Function == "reverse" && f.AvailableWorkers == 1);
    }

    [Fact]
    public async Task Without_a_client_certificate_a_server_that_requires_one_refuses_the_handshake()
    {
        using var pki = TestPki.Create();
        await using var server = await TlsTerminatedGearmand.StartAsync(pki, requireClientCertificate: true);

        var e = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var admin = await GearmanAdminClient.ConnectAsync(server.Address, tls: pki.ClientTls());
            await admin.GetVersionAsync(); // TLS 1.3 servers may reject the missing certificate after the client's Finished
        });

        Assert.True(e is GearmanConnectionException or IOException, e.ToString());
        await Retry.UntilAsync(() => server.FrontLog.Contains("handshake refused"), "the TLS front to log the refused handshake");
    }

    [Fact]
    public async Task A_server_certificate_from_another_ca_is_refused()
    {
        using var pki = TestPki.Create();
        using var foreign = TestPki.Create("Someone Else's CA");
        await using var server = await TlsTerminatedGearmand.StartAsync(foreign, requireClientCertificate: false);

        var e = await Assert.ThrowsAsync<GearmanConnectionException>(async () =>
            await GearmanAdminClient.ConnectAsync(server.Address, tls: pki.ClientTls()));

        Assert.Contains("TLS handshake failed", e.Message);
        await using var untrusting = await GearmanAdminClient.ConnectAsync(server.Address, tls: pki.ClientTls() with { AllowUntrusted = true });
        Assert.NotEmpty(await untrusting.GetVersionAsync());
    }

    [Fact]
    public async Task A_server_certificate_for_another_name_is_refused_unless_the_name_is_overridden()
    {
        using var pki = TestPki.Create();
        await using var server = await TlsTerminatedGearmand.StartAsync(pki, requireClientCertificate: false);

        await Assert.ThrowsAsync<GearmanConnectionException>(async () =>
            await GearmanAdminClient.ConnectAsync(server.Address, tls: pki.ClientTls() with { TargetHost = "jobserver.example" }));
        await using var admin = await GearmanAdminClient.ConnectAsync(server.Address, tls: pki.ClientTls() with { TargetHost = "localhost" });
        Assert.NotEmpty(await admin.GetVersionAsync());
    }

    [Fact]
    public async Task Plain_tcp_client_gets_no_job_from_a_tls_port()
    {
        using var pki = TestPki.Create();
        await using var server = await TlsTerminatedGearmand.StartAsync(pki, requireClientCertificate: false);
        await using var client = new GearmanClient(new GearmanClientOptions { Servers = [server.Address], ConnectTimeout = TimeSpan.FromSeconds(2) });
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(3));

        await Assert.ThrowsAnyAsync<Exception>(async () =>
            await client.SubmitAsync("reverse", "x"u8.ToArray(), cancellationToken: deadline.Token));
    }

    [Fact]
    public void A_missing_certificate_file_is_a_clear_error_before_connecting()
    {
        var options = new GearmanTlsOptions { CaFile = "/nonexistent/ca.pem" };

        var e = Assert.Throws<FileNotFoundException>(options.Validate);

        Assert.Contains("/nonexistent/ca.pem", e.Message);
    }
}
