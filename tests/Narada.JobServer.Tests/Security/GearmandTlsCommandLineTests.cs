using Narada.Gearman.Client;
using Narada.Gearman.Transport;
using Narada.Gearman.Worker;
using Narada.JobServer.Tests.Support;
using Narada.Testing;

namespace Narada.JobServer.Tests.Security;

/// <summary>
/// gearmand's TLS command line (<c>--ssl --ssl-ca-file --ssl-certificate --ssl-key</c>) serves TLS from
/// <c>narada jobserver</c>. (Debian's gearmand takes the same arguments but has no TLS compiled in: docs/security.md.)
/// </summary>
public sealed class GearmandTlsCommandLineTests
{
    [Fact]
    public async Task Gearmands_ssl_arguments_serve_tls_clients_and_workers()
    {
        using var pki = TestPki.Create();
        int port = FreePort.Next();
        await using var server = await NaradaProcess.StartAsync(port, ["-q", "none", .. pki.GearmandArguments()]);
        var address = new ServerAddress("127.0.0.1", port);
        await using var worker = new GearmanWorker(new GearmanWorkerOptions { Servers = [address], Tls = pki.ClientTls("worker") });
        worker.Register("echo", static (job, _) => ValueTask.FromResult(job.Payload));
        using var stop = new CancellationTokenSource();
        var running = worker.RunAsync(stop.Token);
        await using var client = new GearmanClient(new GearmanClientOptions { Servers = [address], Tls = pki.ClientTls() });

        var result = await client.SubmitAsync("echo", "over tls"u8.ToArray()).AsTask().WaitAsync(TimeSpan.FromSeconds(15));

        Assert.True(result.Succeeded);
        Assert.Equal("over tls", System.Text.Encoding.UTF8.GetString(result.Data.Span));
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Ssl_without_a_certificate_is_a_clear_error()
    {
        var result = await NaradaProcess.RunAsync("jobserver", "-q", "none", "--ssl",
            "-p", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--ssl needs a certificate", result.Stderr);
    }
}
