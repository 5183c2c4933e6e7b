using Narada.Gearman.Client;
using Narada.Testing;

namespace Narada.Gearman.Tests.Client;

[Trait("Category", "Peers")]
public sealed class StreamingTests
{
    [Fact]
    public async Task Work_data_and_status_arrive_as_updates_in_order_before_completion()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var worker = Peers.PhpWorker(server, "stream");
        await Peers.WaitForWorkersAsync(server, "stream", worker: worker);
        await using var client = Peers.Client(server);

        var job = await client.StartAsync("stream", "3"u8.ToArray());
        var updates = new List<JobUpdate>();
        await foreach (var update in job.Updates)
            updates.Add(update);
        // the stream ends only because the job ended
        Assert.True(job.Completion.IsCompleted);
        var result = await job.Completion;

        Assert.Equal("done", result.DataAsString());
        var expected = new List<string>();
        for (int i = 1; i <= 3; i++)
        {
            expected.Add($"Status {i}/3");
            expected.Add($"Data chunk{i};");
        }
        expected.Add("Warning careful");
        Assert.Equal(expected, updates.Select(u => u.Kind == JobUpdateKind.Status
            ? $"Status {u.Numerator}/{u.Denominator}"
            : $"{u.Kind} {u.DataAsString()}"));
    }

    [Fact]
    public async Task Exception_option_turns_a_worker_exception_into_outcome_exception_with_its_text()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var worker = Peers.PhpWorker(server, "explode");
        await Peers.WaitForWorkersAsync(server, "explode", worker: worker);
        await using var client = Peers.Client([server], exceptions: true);

        var job = await client.StartAsync("explode", "disk on fire"u8.ToArray());
        var updates = new List<JobUpdate>();
        await foreach (var update in job.Updates)
            updates.Add(update);
        var result = await job.Completion;

        Assert.Equal(JobOutcome.Exception, result.Outcome);
        Assert.Equal("boom: disk on fire", result.DataAsString());
        Assert.Equal(JobUpdateKind.Exception, Assert.Single(updates).Kind);
    }

    [Fact]
    public async Task Without_the_exception_option_a_worker_exception_is_a_failure()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var worker = Peers.PhpWorker(server, "explode");
        await Peers.WaitForWorkersAsync(server, "explode", worker: worker);
        await using var client = Peers.Client([server], exceptions: false);

        var result = await client.SubmitAsync("explode", "quietly"u8.ToArray());

        Assert.Equal(JobOutcome.Failed, result.Outcome);
    }
}
