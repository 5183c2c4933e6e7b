using Narada.Gearman.Client;
using Narada.Testing;

namespace Narada.Gearman.Tests.Client;

[Trait("Category", "Peers")]
public sealed class ScheduledJobTests
{
    [Fact]
    public async Task A_job_with_run_at_waits_for_its_time()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var worker = Peers.PhpWorker(server, "record");
        await Peers.WaitForWorkersAsync(server, "record", worker: worker);
        await using var client = Peers.Client(server);
        var runAt = DateTimeOffset.UtcNow.AddSeconds(2);

        var handle = await client.SubmitBackgroundAsync("record", "later"u8.ToArray(), new JobOptions { RunAt = runAt });
        await client.SubmitBackgroundAsync("record", "now"u8.ToArray());

        Assert.StartsWith("H:", handle.Handle);
        await Retry.UntilAsync(() => worker.Stdout.Contains("now\n"), "the immediate job to run");
        Assert.DoesNotContain("later", worker.Stdout);
        Assert.True((await client.GetStatusAsync(handle)).Known);

        // gearmand 1.1 does not wake sleeping workers when an epoch job falls due; a fresh job does.
        await Retry.UntilAsync(() => DateTimeOffset.UtcNow > runAt.AddMilliseconds(100), "the scheduled time");
        await client.SubmitBackgroundAsync("record", "wake"u8.ToArray());
        await Retry.UntilAsync(() => worker.Stdout.Contains("later\n"), "the scheduled job to run");
    }
}
