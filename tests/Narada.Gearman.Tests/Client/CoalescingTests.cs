using Narada.Gearman.Client;
using Narada.Testing;

namespace Narada.Gearman.Tests.Client;

[Trait("Category", "Peers")]
public sealed class CoalescingTests
{
    [Fact]
    public async Task Two_foreground_submits_with_one_unique_share_a_handle_and_both_get_the_result()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var client = Peers.Client(server);
        var options = new JobOptions { Unique = "same-key" };

        var first = await client.StartAsync("reverse", "abc"u8.ToArray(), options);
        var second = await client.StartAsync("reverse", "abc"u8.ToArray(), options);
        Assert.Equal(first.Handle, second.Handle);

        var byUnique = await client.GetStatusByUniqueAsync("same-key");
        Assert.True(byUnique.Known);
        Assert.False(byUnique.Running);
        Assert.Equal(2, byUnique.WaitingClients);

        await using var worker = Peers.PhpWorker(server, "reverse");
        var results = await Task.WhenAll(first.Completion, second.Completion).WaitAsync(TimeSpan.FromSeconds(15));

        Assert.All(results, r => Assert.Equal("cba", r.DataAsString()));
        Assert.All(results, r => Assert.Equal(first.Handle, r.Handle));
    }

    [Fact]
    public async Task Background_job_with_a_unique_is_visible_by_handle_and_by_unique()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var client = Peers.Client(server);

        var handle = await client.SubmitBackgroundAsync("record", "payload"u8.ToArray(), new JobOptions { Unique = "bg-unique" });
        var again = await client.SubmitBackgroundAsync("record", "payload"u8.ToArray(), new JobOptions { Unique = "bg-unique" });
        Assert.Equal(handle, again);

        var status = await client.GetStatusAsync(handle);
        Assert.True(status.Known);
        Assert.False(status.Running);
        var byUnique = await client.GetStatusByUniqueAsync("bg-unique");
        Assert.True(byUnique.Known);
        Assert.Equal(0, byUnique.WaitingClients);

        await using var worker = Peers.PhpWorker(server, "record");
        await Retry.UntilAsync(async () => !(await client.GetStatusByUniqueAsync("bg-unique")).Known, "the job to finish");
        Assert.Equal("payload\n", worker.Stdout);
    }

    [Fact]
    public async Task Background_jobs_without_a_unique_get_distinct_uuids_and_never_coalesce()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var client = Peers.Client(server);

        var a = await client.SubmitBackgroundAsync("record", "same"u8.ToArray());
        var b = await client.SubmitBackgroundAsync("record", "same"u8.ToArray());

        Assert.NotEqual(a.Handle, b.Handle);
        await using var admin = await Narada.Gearman.Admin.GearmanAdminClient.ConnectAsync(Peers.Address(server));
        var uniques = await admin.ShowUniqueJobsAsync();
        Assert.Equal(2, uniques.Count);
        Assert.All(uniques, u => Assert.True(Guid.TryParse(u, out _), u));
    }
}
