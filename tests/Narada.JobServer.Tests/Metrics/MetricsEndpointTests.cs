using Narada.Gearman.Protocol;
using Narada.JobServer.Tests.Support;
using Narada.Testing;

namespace Narada.JobServer.Tests.Metrics;

/// <summary>The /metrics endpoint: Prometheus conventions (checked by promtool) and numbers that follow the jobs.</summary>
[Trait("Category", "Peers")]
public sealed class MetricsEndpointTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("narada-metrics-").FullName;

    [Fact]
    public async Task MetricsPassPromtoolAndCountJobs()
    {
        var options = new JobServerOptions { MetricsPort = FreePort.Next(), DatabasePath = Path.Combine(_directory, "q.sqlite") };
        await using var server = await TestServer.StartAsync(ServerKind.Narada, options);
        await using var client = await RawConnection.ConnectAsync(server.Port);
        await client.SendAsync(PacketType.SubmitJobHighBg, "metered", "", "1");
        await client.SendAsync(PacketType.SubmitJobBg, "metered", "", "2");
        await client.SendAsync(PacketType.SubmitJobBg, "metered", "", "3");
        for (int i = 0; i < 3; i++)
            await client.ExpectAsync(PacketType.JobCreated);
        await using var worker = await RawConnection.ConnectAsync(server.Port);
        await worker.SendAsync(PacketType.CanDo, "metered");
        await worker.SendAsync(PacketType.GrabJob);
        var job = await worker.ExpectAsync(PacketType.JobAssign);
        await worker.SendAsync(PacketType.WorkComplete, job[0], "ok");
        await worker.SendAsync(PacketType.GrabJob);
        job = await worker.ExpectAsync(PacketType.JobAssign);
        await worker.SendAsync(PacketType.WorkFail, job[0]);
        await worker.SendAsync(PacketType.EchoReq, "sync");
        await worker.ExpectAsync(PacketType.EchoRes);

        using var http = new HttpClient();
        var text = await http.GetStringAsync(server.Narada!.MetricsUri);

        var check = await ExternalProcess.RunAsync(RequiredTool.Path("promtool", "prometheus"), ["check", "metrics"], text);
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Contains("narada_jobserver_jobs_submitted_total 3", text);
        Assert.Contains("narada_jobserver_jobs_completed_total 1", text);
        Assert.Contains("narada_jobserver_jobs_failed_total 1", text);
        Assert.Contains("narada_jobserver_jobs_queued{function=\"metered\",priority=\"normal\"} 1", text);
        Assert.Contains("narada_jobserver_jobs_queued{function=\"metered\",priority=\"high\"} 0", text);
        Assert.Contains("narada_jobserver_workers{function=\"metered\"} 1", text);
        Assert.Contains("narada_jobserver_connections 2", text);
        // No TLS: no certificate, so no sample (a 0 would raise the expiry alert); the HELP and TYPE lines stay.
        Assert.DoesNotContain("\nnarada_jobserver_tls_certificate_expiry_timestamp_seconds ", text);
        Assert.Contains("narada_jobserver_job_queue_wait_seconds_count 2", text);
        Assert.Contains("narada_jobserver_job_run_seconds_count 2", text);
        Assert.Matches(@"narada_jobserver_persistence_commit_seconds_count [1-9]", text);
    }

    [Fact]
    public async Task TwoServersInOneProcessKeepSeparateMetrics()
    {
        await using var a = await TestServer.StartAsync(ServerKind.Narada, new JobServerOptions { MetricsPort = FreePort.Next() });
        await using var b = await TestServer.StartAsync(ServerKind.Narada, new JobServerOptions { MetricsPort = FreePort.Next() });
        await using var client = await RawConnection.ConnectAsync(a.Port);
        await client.SendAsync(PacketType.SubmitJobBg, "only-a", "", "x");
        await client.ExpectAsync(PacketType.JobCreated);

        using var http = new HttpClient();
        Assert.Contains("narada_jobserver_jobs_submitted_total 1", await http.GetStringAsync(a.Narada!.MetricsUri));
        Assert.Contains("narada_jobserver_jobs_submitted_total 0", await http.GetStringAsync(b.Narada!.MetricsUri));
    }

    /// <summary>
    /// Jobs that come one at a time to a worker that could run 32 at once: it must not keep asking for 32 (31 NO_JOBs per
    /// job, for the server and the worker to handle for nothing). The grab counter shows what it asked for.
    /// </summary>
    [Fact]
    public async Task AWideWorkerFedOneJobAtATimeDoesNotPollForThirtyTwo()
    {
        await using var server = await TestServer.StartAsync(ServerKind.Narada, new JobServerOptions { MetricsPort = FreePort.Next() });
        var address = new Narada.Gearman.Transport.ServerAddress(server.Host, server.Port);
        await using var worker = new Narada.Gearman.Worker.GearmanWorker(new Narada.Gearman.Worker.GearmanWorkerOptions { Servers = [address], Concurrency = 32 });
        worker.Register("trickle", (job, _) => ValueTask.FromResult<ReadOnlyMemory<byte>>(job.Payload.ToArray()));
        using var stop = new CancellationTokenSource();
        var running = worker.RunAsync(stop.Token);
        await worker.Registered.WaitAsync(TimeSpan.FromSeconds(10));
        await using var client = new Narada.Gearman.Client.GearmanClient(new Narada.Gearman.Client.GearmanClientOptions { Servers = [address] });

        const int jobs = 100;
        for (int i = 0; i < jobs; i++)
            await client.SubmitAsync("trickle", System.Text.Encoding.ASCII.GetBytes($"job {i}"));

        using var http = new HttpClient();
        var text = await http.GetStringAsync(server.Narada!.MetricsUri);
        Assert.Contains($"narada_jobserver_grabs_total{{result=\"job\"}} {jobs}", text);
        var empty = System.Text.RegularExpressions.Regex.Match(text, @"narada_jobserver_grabs_total\{result=""no_job""\} (\d+)");
        Assert.True(empty.Success, text);
        int noJobs = int.Parse(empty.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(noJobs <= 3 * jobs, $"{noJobs} NO_JOB answers for {jobs} jobs");
        await stop.CancelAsync();
        await running;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
