using System.Text;
using System.Threading.Channels;
using Narada.Gearman.Admin;
using Narada.Gearman.Client;
using Narada.Gearman.Protocol;
using Narada.Gearman.Tls;
using Narada.Gearman.Transport;
using Narada.Gearman.Worker;
using Narada.JobServer.Tests.Support;
using Narada.Testing;

namespace Narada.JobServer.Tests.Security;

/// <summary>Narada's job server with TLS, verified client certificates and the fleet ACL, driven by real clients.</summary>
[Trait("Category", "Peers")]
public sealed class TlsAclTests
{
    [Fact]
    public async Task Reverse_job_runs_end_to_end_over_tls_and_admin_text_still_works_after_the_handshake()
    {
        await using var server = await SecuredJobServer.StartAsync();
        await using var worker = new GearmanWorker(new GearmanWorkerOptions
        {
            Servers = [server.Address],
            Tls = server.Pki.ClientTls("web01"),
            StopTimeout = TimeSpan.FromSeconds(2),
        });
        worker.Register("reverse", (job, _) => ValueTask.FromResult<ReadOnlyMemory<byte>>(job.Payload.ToArray().Reverse().ToArray()));
        using var stop = new CancellationTokenSource();
        var running = worker.RunAsync(stop.Token);
        await worker.Registered.WaitAsync(TimeSpan.FromSeconds(10));
        await using var client = new GearmanClient(new GearmanClientOptions { Servers = [server.Address], Tls = server.Pki.ClientTls("controller") });

        var result = await client.SubmitAsync("reverse", "Hello World!"u8.ToArray());

        Assert.Equal("!dlroW olleH", result.DataAsString());
        await using var admin = await GearmanAdminClient.ConnectAsync(server.Address, tls: server.Pki.ClientTls("web01"));
        Assert.Contains(await admin.GetStatusAsync(), f => f.Function == "reverse" && f.AvailableWorkers == 1);
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_rogue_worker_without_a_certificate_is_refused_at_the_handshake()
    {
        await using var server = await SecuredJobServer.StartAsync();

        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var connection = await GearmanConnection.ConnectAsync(server.Address, _ => ValueTask.CompletedTask,
                tls: server.Pki.ClientTls());
            // With TLS 1.3 the server's refusal may arrive just after the client's side of the handshake completed.
            await connection.SendAsync(PacketType.CanDo, "narada.check@web01"u8.ToArray());
            await connection.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        });
        await using var plain = await RawConnection.ConnectAsync(server.Server.Endpoint.Port);
        await plain.SendAsync(PacketType.CanDo, "narada.check@web01");
        Assert.True(await plain.IsClosedByServerAsync());
        await using var admin = await GearmanAdminClient.ConnectAsync(server.Address, tls: server.Pki.ClientTls("controller"));
        Assert.DoesNotContain(await admin.GetWorkersAsync(), w => w.Functions.Count > 0);
    }

    [Fact]
    public async Task Web02_cannot_register_web01s_function_but_can_register_its_own_and_the_connection_stays_usable()
    {
        await using var server = await SecuredJobServer.StartAsync();
        var replies = Channel.CreateUnbounded<Packet>();
        await using var web02 = await GearmanConnection.ConnectAsync(server.Address, p =>
        {
            replies.Writer.TryWrite(p);
            return ValueTask.CompletedTask;
        }, tls: server.Pki.ClientTls("web02"));

        await web02.SendAsync(PacketType.CanDo, "narada.check@web01"u8.ToArray());
        var denied = await replies.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        await web02.SendAsync(PacketType.CanDo, "narada.check@web02"u8.ToArray());
        await web02.SendAsync(PacketType.CanDoTimeout, "narada.apply@web01"u8.ToArray(), "5000"u8.ToArray());
        var deniedAgain = await replies.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        await web02.SendAsync(PacketType.EchoReq, "still here"u8.ToArray());
        var echo = await replies.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(PacketType.Error, denied.Type);
        Assert.Equal(ErrorCodes.PermissionDenied, denied.ArgumentString(0));
        Assert.Contains("narada.check@web01", denied.ArgumentString(1));
        Assert.Equal(PacketType.Error, deniedAgain.Type);
        Assert.Equal(PacketType.EchoRes, echo.Type);
        await using var admin = await GearmanAdminClient.ConnectAsync(server.Address, tls: server.Pki.ClientTls("controller"));
        var functions = (await admin.GetWorkersAsync()).SelectMany(w => w.Functions).ToArray();
        Assert.Equal(["narada.check@web02"], functions);
        var metrics = await server.ScrapeAsync();
        Assert.Contains("narada_jobserver_acl_denials_total{action=\"register\"} 2", metrics);
        // For the NaradaJobServerCertificateExpiring alert: the served certificate's end, in Unix seconds.
        using var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(server.Pki.ServerCertificateFile);
        long notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero).ToUnixTimeSeconds();
        Assert.Contains($"narada_jobserver_tls_certificate_expiry_timestamp_seconds {notAfter}\n", metrics);
    }

    [Fact]
    public async Task A_host_certificate_cannot_submit_to_apply_functions_only_the_controller_can()
    {
        await using var server = await SecuredJobServer.StartAsync();
        await using var host = new GearmanClient(new GearmanClientOptions { Servers = [server.Address], Tls = server.Pki.ClientTls("web01") });
        await using var controller = new GearmanClient(new GearmanClientOptions { Servers = [server.Address], Tls = server.Pki.ClientTls("controller") });

        var own = await Assert.ThrowsAsync<GearmanServerException>(async () =>
            await host.SubmitBackgroundAsync("narada.apply@web01", "{}"u8.ToArray()));
        var other = await Assert.ThrowsAsync<GearmanServerException>(async () =>
            await host.SubmitBackgroundAsync("narada.apply@db01", "{}"u8.ToArray()));
        var results = await host.SubmitBackgroundAsync("narada.results", "{}"u8.ToArray());
        var apply = await controller.SubmitBackgroundAsync("narada.apply@web01", "{}"u8.ToArray());

        Assert.Equal(ErrorCodes.PermissionDenied, own.Code);
        Assert.Equal(ErrorCodes.PermissionDenied, other.Code);
        Assert.StartsWith("H:tls:", results.Handle);
        Assert.StartsWith("H:tls:", apply.Handle);
        Assert.Contains("narada_jobserver_acl_denials_total{action=\"submit\"} 2", await server.ScrapeAsync());
    }

    [Fact]
    public async Task State_changing_admin_commands_are_for_the_controller_only()
    {
        await using var server = await SecuredJobServer.StartAsync();
        await using var host = await GearmanAdminClient.ConnectAsync(server.Address, tls: server.Pki.ClientTls("web01"));
        await using var controller = await GearmanAdminClient.ConnectAsync(server.Address, tls: server.Pki.ClientTls("controller"));

        var denied = await Assert.ThrowsAnyAsync<Exception>(async () => await host.CancelJobAsync("H:tls:1"));
        bool known = await controller.CancelJobAsync("H:tls:1");

        Assert.Contains("PERMISSION_DENIED", denied.Message);
        Assert.False(known);
        Assert.NotEmpty(await host.GetVersionAsync());
    }

    [Fact]
    public async Task Expired_and_foreign_ca_client_certificates_are_refused_at_the_handshake()
    {
        await using var server = await SecuredJobServer.StartAsync();
        var (expiredCert, expiredKey) = server.Pki.IssueClient("web01", DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddDays(-1));
        using var foreign = TestPki.Create("Foreign CA");
        var (foreignCert, foreignKey) = foreign.IssueClient("controller");

        foreach (var (cert, key) in new[] { (expiredCert, expiredKey), (foreignCert, foreignKey) })
        {
            var tls = new GearmanTlsOptions { CaFile = server.Pki.CaFile, CertificateFile = cert, KeyFile = key };
            await Assert.ThrowsAnyAsync<Exception>(async () =>
            {
                await using var admin = await GearmanAdminClient.ConnectAsync(server.Address, tls: tls);
                await admin.GetVersionAsync();
            });
        }
    }

    [Fact]
    public async Task Perl_client_over_tls_with_the_controller_certificate_gets_the_reversed_string()
    {
        await using var server = await SecuredJobServer.StartAsync();
        await using var worker = new GearmanWorker(new GearmanWorkerOptions { Servers = [server.Address], Tls = server.Pki.ClientTls("web01") });
        worker.Register("reverse", (job, _) => ValueTask.FromResult<ReadOnlyMemory<byte>>(job.Payload.ToArray().Reverse().ToArray()));
        using var stop = new CancellationTokenSource();
        var running = worker.RunAsync(stop.Token);
        await worker.Registered.WaitAsync(TimeSpan.FromSeconds(10));
        var (cert, key) = server.Pki.IssueClient("controller");
        var script = Path.Combine(AppContext.BaseDirectory, "Peers", "perl-tls-client.pl");

        var run = await ExternalProcess.RunAsync(RequiredTool.Perl,
            [script, "127.0.0.1", server.Address.Port.ToString(), server.Pki.CaFile, cert, key, "reverse", "Hello World!"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("!dlroW olleH", run.Stdout.Trim());
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
