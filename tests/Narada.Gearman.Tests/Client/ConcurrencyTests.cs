using System.Text;
using Narada.Gearman.Client;
using Narada.Testing;

namespace Narada.Gearman.Tests.Client;

[Trait("Category", "Peers")]
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task A_thousand_concurrent_submits_on_one_client_all_get_their_own_answer()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var worker1 = Peers.PhpWorker(server, "reverse");
        await using var worker2 = Peers.PhpWorker(server, "reverse");
        await Peers.WaitForWorkersAsync(server, "reverse", count: 2);
        await using var client = Peers.Client(server);

        var jobs = Enumerable.Range(0, 1000)
            .Select(i => client.SubmitAsync("reverse", Encoding.UTF8.GetBytes($"job-{i:D4}")).AsTask())
            .ToArray();
        var results = await Task.WhenAll(jobs).WaitAsync(TimeSpan.FromSeconds(60));

        for (int i = 0; i < results.Length; i++)
        {
            Assert.Equal(JobOutcome.Completed, results[i].Outcome);
            Assert.Equal(new string($"job-{i:D4}".Reverse().ToArray()), results[i].DataAsString());
        }
        Assert.Equal(1000, results.Select(r => r.Handle.Handle).Distinct().Count());
    }

    [Fact]
    public async Task Statuses_echoes_and_submits_interleave_on_one_connection()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var client = Peers.Client(server);

        var handles = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            client.SubmitBackgroundAsync("nobody", Encoding.UTF8.GetBytes($"{i}")).AsTask()));
        var work = handles.Select(async (h, i) =>
        {
            var status = client.GetStatusAsync(h).AsTask();
            var echo = client.EchoAsync(Encoding.UTF8.GetBytes($"echo-{i}")).AsTask();
            Assert.True((await status).Known);
            Assert.Equal(h, (await status).Handle);
            Assert.Equal($"echo-{i}", Encoding.UTF8.GetString((await echo).Span));
        });
        await Task.WhenAll(work);
    }
}
