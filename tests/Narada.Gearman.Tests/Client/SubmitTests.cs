using System.Text;
using Narada.Gearman.Client;
using Narada.Gearman.Protocol;
using Narada.Gearman.Transport;
using Narada.Gearman.Worker;
using Narada.Testing;

namespace Narada.Gearman.Tests.Client;

[Trait("Category", "Peers")]
public sealed class SubmitTests
{
    [Fact]
    public async Task Php_worker_reverses_hello_world_for_the_client()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var worker = Peers.PhpWorker(server, "reverse");
        await Peers.WaitForWorkersAsync(server, "reverse", worker: worker);
        await using var client = Peers.Client(server);

        var result = await client.SubmitAsync("reverse", "Hello World!"u8.ToArray());

        Assert.Equal(JobOutcome.Completed, result.Outcome);
        Assert.Equal("!dlroW olleH", result.DataAsString());
        Assert.StartsWith("H:", result.Handle.Handle);
        Assert.Equal(server.Port, result.Handle.Server.Port);
    }

    [Fact]
    public async Task Gearman_tool_worker_runs_grep_on_the_payload()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var worker = Peers.GearmanWorker(server, "test", "grep", "lib");
        await Peers.WaitForWorkersAsync(server, "test", worker: worker);
        await using var client = Peers.Client(server);

        var listing = "bin\nboot\ndev\netc\nhome\nlib\nlib64\nmedia\nopt\nusr\nvar\n";
        var result = await client.SubmitAsync("test", Encoding.UTF8.GetBytes(listing));

        Assert.Equal("lib\nlib64\n", result.DataAsString());
    }

    [Fact]
    public async Task Gearman_tool_worker_counts_lines_with_wc()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var worker = Peers.GearmanWorker(server, "wc", "wc", "-l");
        await Peers.WaitForWorkersAsync(server, "wc", worker: worker);
        await using var client = Peers.Client(server);

        var result = await client.SubmitAsync("wc", "one\ntwo\nthree\n"u8.ToArray());

        Assert.Equal("3", result.DataAsString().Trim());
    }

    [Fact]
    public async Task A_failing_worker_gives_outcome_failed()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var worker = Peers.PhpWorker(server, "fail");
        await Peers.WaitForWorkersAsync(server, "fail", worker: worker);
        await using var client = Peers.Client(server);

        var result = await client.SubmitAsync("fail", "x"u8.ToArray());

        Assert.Equal(JobOutcome.Failed, result.Outcome);
        Assert.True(result.Data.IsEmpty);
    }

    [Fact]
    public async Task Background_job_is_known_until_a_worker_runs_it()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var client = Peers.Client(server);

        var handle = await client.SubmitBackgroundAsync("record", "bg-1"u8.ToArray());
        var queued = await client.GetStatusAsync(handle);
        Assert.True(queued.Known);
        Assert.False(queued.Running);

        await using var worker = Peers.PhpWorker(server, "record");
        await Retry.UntilAsync(() => worker.Stdout.Contains("bg-1\n"), "the worker to run the background job");
        await Retry.UntilAsync(async () => !(await client.GetStatusAsync(handle)).Known, "the finished job to be forgotten");
    }

    [Fact]
    public async Task Status_of_an_unknown_handle_is_not_known()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var client = Peers.Client(server);

        var status = await client.GetStatusAsync(new JobHandle(Peers.Address(server), "H:nowhere:42"));

        Assert.False(status.Known);
        Assert.False(status.Running);
    }

    [Fact]
    public async Task A_full_queue_fails_background_and_foreground_submits_with_the_server_error()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var client = Peers.Client(server);
        // gearmand only caps a function it already knows
        await client.SubmitBackgroundAsync("capped", "first"u8.ToArray());
        await using (var admin = await Narada.Gearman.Admin.GearmanAdminClient.ConnectAsync(Peers.Address(server)))
            await admin.SetMaxQueueAsync("capped", 1, 1, 1);

        var error = await Assert.ThrowsAsync<GearmanServerException>(async () =>
            await client.SubmitBackgroundAsync("capped", "second"u8.ToArray()));

        Assert.Equal(ErrorCodes.QueueError, error.Code);
        // A foreground submit on the open connection learns of the refusal through its job.
        var foreground = await Assert.ThrowsAsync<GearmanServerException>(async () =>
            await client.SubmitAsync("capped", "third"u8.ToArray()));
        Assert.Equal(ErrorCodes.QueueError, foreground.Code);
        // the connection survives a refused submit
        Assert.Equal("still here", Encoding.UTF8.GetString((await client.EchoAsync("still here"u8.ToArray())).Span));
    }

    [Fact]
    public async Task The_longest_unique_sent_reaches_a_gearmand_worker_intact_with_its_payload()
    {
        // gearmand keeps 63 bytes of a unique; with a 64th byte the job reached its worker garbled (a NUL-led payload).
        await using var server = await GearmandServer.StartAsync();
        await using var client = Peers.Client(server);
        var unique = new string('u', PacketLimits.MaxSentUniqueLength - 8) + "@web0001";
        var seen = new TaskCompletionSource<(string Unique, string Payload)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var worker = new GearmanWorker(new GearmanWorkerOptions { Servers = [new ServerAddress(server.Host, server.Port)] });
        worker.Register("longest", (job, _) =>
        {
            seen.TrySetResult((job.Unique, Encoding.UTF8.GetString(job.Payload.Span)));
            return ValueTask.FromResult(ReadOnlyMemory<byte>.Empty);
        });
        using var stop = new CancellationTokenSource();
        var run = worker.RunAsync(stop.Token);

        await client.SubmitBackgroundAsync("longest", "the payload"u8.ToArray(), new JobOptions { Unique = unique });

        Assert.Equal((unique, "the payload"), await seen.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Bad_arguments_are_refused_before_anything_is_sent()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var client = Peers.Client(server);

        await Assert.ThrowsAsync<ArgumentException>(async () => await client.SubmitAsync("", default));
        await Assert.ThrowsAsync<ArgumentException>(async () => await client.SubmitAsync("bad\0name", default));
        await Assert.ThrowsAsync<ArgumentException>(async () =>
            await client.SubmitAsync("f", default, new JobOptions { Unique = new string('u', 64) }));
        await Assert.ThrowsAsync<ArgumentException>(async () =>
            await client.SubmitAsync("f", default, new JobOptions { RunAt = DateTimeOffset.UtcNow }));
        await Assert.ThrowsAsync<ArgumentException>(async () =>
            await client.SubmitBackgroundAsync("f", default, new JobOptions { RunAt = DateTimeOffset.UtcNow, Priority = JobPriority.High }));
        Assert.Equal(3, (await client.EchoAsync(new byte[] { 1, 0, 2 })).Length);
    }

    [Fact]
    public async Task An_unreachable_server_is_a_connection_error()
    {
        var options = new GearmanClientOptions { Servers = [new("127.0.0.1", FreePort.Next())] };
        await using var client = new GearmanClient(options);

        await Assert.ThrowsAsync<Narada.Gearman.Transport.GearmanConnectionException>(async () =>
            await client.SubmitAsync("reverse", "x"u8.ToArray()));
    }
}
