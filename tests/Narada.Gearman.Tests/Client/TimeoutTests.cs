using System.Text;
using Narada.Gearman.Client;
using Narada.Testing;

namespace Narada.Gearman.Tests.Client;

[Trait("Category", "Peers")]
public sealed class TimeoutTests
{
    [Fact]
    public async Task A_job_nobody_serves_times_out_clearly_and_the_client_keeps_working()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var client = Peers.Client(server);

        var error = await Assert.ThrowsAsync<TimeoutException>(async () =>
            await client.SubmitAsync("nobody", "x"u8.ToArray(), new JobOptions { Timeout = TimeSpan.FromMilliseconds(300) }));
        Assert.Contains("'nobody'", error.Message);

        await using var worker = Peers.PhpWorker(server, "reverse");
        await Peers.WaitForWorkersAsync(server, "reverse", worker: worker);
        var result = await client.SubmitAsync("reverse", "ok"u8.ToArray(), new JobOptions { Timeout = TimeSpan.FromSeconds(10) });
        Assert.Equal("ko", result.DataAsString());
    }

    [Fact]
    public async Task A_started_job_with_a_timeout_faults_its_completion_and_updates()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var client = Peers.Client(server);

        await client.EchoAsync("connect first, so the timeout is all spent waiting for the result"u8.ToArray());
        var job = await client.StartAsync("nobody", "x"u8.ToArray(), new JobOptions { Timeout = TimeSpan.FromSeconds(1.5) });

        await Assert.ThrowsAsync<TimeoutException>(() => job.Completion);
        await Assert.ThrowsAsync<TimeoutException>(async () =>
        {
            await foreach (var _ in job.Updates)
            {
            }
        });
    }

    [Fact]
    public async Task Cancelling_a_submit_throws_and_leaves_the_connection_usable()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var client = Peers.Client(server);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await client.SubmitAsync("nobody", "x"u8.ToArray(), cancellationToken: cts.Token));

        Assert.Equal("alive", Encoding.UTF8.GetString((await client.EchoAsync("alive"u8.ToArray())).Span));
    }
}
