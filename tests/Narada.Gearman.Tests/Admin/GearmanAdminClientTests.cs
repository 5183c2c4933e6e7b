using Narada.Gearman.Admin;
using Narada.Gearman.Client;
using Narada.Gearman.Tests.Client;
using Narada.Testing;

namespace Narada.Gearman.Tests.Admin;

[Trait("Category", "Peers")]
public sealed class GearmanAdminClientTests
{
    [Fact]
    public async Task Status_workers_and_jobs_describe_what_the_server_holds()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var worker = Peers.PhpWorker(server, "reverse");
        await Peers.WaitForWorkersAsync(server, "reverse", worker: worker);
        await using var client = Peers.Client(server);
        var queued = await client.SubmitBackgroundAsync("queued-only", "x"u8.ToArray(), new JobOptions { Unique = "admin-u1" });
        await client.SubmitBackgroundAsync("queued-only", "y"u8.ToArray(), new JobOptions { Priority = JobPriority.High });
        await using var admin = await GearmanAdminClient.ConnectAsync(Peers.Address(server));

        var status = await admin.GetStatusAsync();
        Assert.Contains(new FunctionStatus("reverse", 0, 0, 1), status);
        Assert.Contains(new FunctionStatus("queued-only", 2, 0, 0), status);

        var priorities = await admin.GetPriorityStatusAsync();
        Assert.Contains(new FunctionPriorityStatus("queued-only", 1, 1, 0, 0), priorities);

        var workers = await admin.GetWorkersAsync();
        var php = Assert.Single(workers, w => w.Functions.Contains("reverse"));
        Assert.Equal("127.0.0.1", php.Address);
        Assert.True(php.Fd > 0);
        Assert.Contains(workers, w => w.Functions.Count == 0); // the client and this admin connection

        var jobs = await admin.ShowJobsAsync();
        Assert.Equal(2, jobs.Count);
        Assert.Contains(jobs, j => j.Handle == queued.Handle && j.Retries == 0);
        Assert.Contains("admin-u1", await admin.ShowUniqueJobsAsync());
    }

    [Fact]
    public async Task Version_pid_and_verbose_come_from_the_running_gearmand()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var admin = await GearmanAdminClient.ConnectAsync(Peers.Address(server));

        var version = await admin.GetVersionAsync();
        var gearmand = await ExternalProcess.RunAsync(RequiredTool.Gearmand, ["--version"]);
        Assert.Contains(version, gearmand.Stdout);
        int pid = await admin.GetPidAsync();
        Assert.Equal("gearmand", File.ReadAllText($"/proc/{pid}/comm").Trim());
        Assert.Equal("ERROR", await admin.GetVerboseAsync());
    }

    [Fact]
    public async Task Cancel_job_flags_a_queued_job_and_reports_unknown_ones()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var client = Peers.Client(server);
        var handle = await client.SubmitBackgroundAsync("never-served", "x"u8.ToArray());
        await using var admin = await GearmanAdminClient.ConnectAsync(Peers.Address(server));

        Assert.Equal(new QueuedJob(handle.Handle, 0, Ignored: false, Queued: true), Assert.Single(await admin.ShowJobsAsync()));
        Assert.True(await admin.CancelJobAsync(handle.Handle));

        // gearmand 1.1 keeps a cancelled job listed, flagged to be ignored and no longer queued
        Assert.Equal(new QueuedJob(handle.Handle, 0, Ignored: true, Queued: false), Assert.Single(await admin.ShowJobsAsync()));
        Assert.False(await admin.CancelJobAsync("H:nowhere:99"));
    }

    [Fact]
    public async Task Refusals_become_server_exceptions_and_raw_lines_pass_through()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var admin = await GearmanAdminClient.ConnectAsync(Peers.Address(server));

        var drop = await Assert.ThrowsAsync<GearmanServerException>(async () => await admin.DropFunctionAsync("no-such-function"));
        Assert.Equal("function", drop.Code);
        await admin.CreateFunctionAsync("made-by-admin");

        var raw = await admin.SendAsync("bogus");
        Assert.StartsWith("ERR UNKNOWN_COMMAND", Assert.Single(raw));
        var rawStatus = await admin.SendAsync("STATUS");
        Assert.All(rawStatus, line => Assert.Equal(4, line.Split('\t').Length));
        Assert.Equal(pidLine(await admin.GetPidAsync()), Assert.Single(await admin.SendAsync("getpid")));

        await Assert.ThrowsAsync<ArgumentException>(async () => await admin.SendAsync("status\nworkers"));
        await Assert.ThrowsAsync<ArgumentException>(async () => await admin.CancelJobAsync("H:a b"));

        static string pidLine(int pid) => $"OK {pid}";
    }

    [Fact]
    public async Task Max_queue_set_by_admin_is_enforced_on_submit()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var client = Peers.Client(server);
        await client.SubmitBackgroundAsync("limited", "1"u8.ToArray(), new JobOptions { Priority = JobPriority.Low });
        await using var admin = await GearmanAdminClient.ConnectAsync(Peers.Address(server));

        await admin.SetMaxQueueAsync("limited", 5, 5, 1);

        await client.SubmitBackgroundAsync("limited", "2"u8.ToArray(), new JobOptions { Priority = JobPriority.High });
        var full = await Assert.ThrowsAsync<GearmanServerException>(async () =>
            await client.SubmitBackgroundAsync("limited", "3"u8.ToArray(), new JobOptions { Priority = JobPriority.Low }));
        Assert.Equal("QUEUE_ERROR", full.Code);
    }

    [Fact]
    public async Task Connecting_to_nothing_is_a_connection_error()
    {
        await Assert.ThrowsAsync<Narada.Gearman.Transport.GearmanConnectionException>(async () =>
            await GearmanAdminClient.ConnectAsync(new("127.0.0.1", FreePort.Next())));
    }
}
