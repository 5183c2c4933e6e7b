using Narada.Gearman.Client;
using Narada.Testing;

namespace Narada.Gearman.Tests.Client;

[Trait("Category", "Peers")]
public sealed class PriorityTests
{
    [Fact]
    public async Task Queued_high_jobs_run_before_normal_before_low()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var client = Peers.Client(server);

        await client.SubmitBackgroundAsync("record", "low"u8.ToArray(), new JobOptions { Priority = JobPriority.Low });
        await client.SubmitBackgroundAsync("record", "normal"u8.ToArray());
        await client.SubmitBackgroundAsync("record", "high"u8.ToArray(), new JobOptions { Priority = JobPriority.High });
        var foreground = client.SubmitAsync("record", "high-fg"u8.ToArray(), new JobOptions { Priority = JobPriority.High });
        await using (var admin = await Narada.Gearman.Admin.GearmanAdminClient.ConnectAsync(Peers.Address(server)))
        {
            await Retry.UntilAsync(async () => (await admin.GetPriorityStatusAsync()).Any(p => p is { Function: "record", High: 2, Normal: 1, Low: 1 }),
                "all four jobs to be queued");
        }

        await using var worker = Peers.PhpWorker(server, "record");
        Assert.Equal("high-fg", (await foreground.AsTask().WaitAsync(TimeSpan.FromSeconds(15))).DataAsString());
        await Retry.UntilAsync(() => worker.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 4, "four jobs to run");

        Assert.Equal(["high", "high-fg", "normal", "low"], worker.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
