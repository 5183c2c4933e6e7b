using System.Text;
using Narada.Gearman.Worker;
using Narada.Testing;

namespace Narada.Gearman.Tests.Worker;

/// <summary>A worker that dies mid-job loses nothing: gearmand requeues the job and another worker answers the client.</summary>
[Trait("Category", "Peers")]
public sealed class WorkerRequeueTests
{
    [Fact]
    public async Task Job_of_a_worker_that_dies_mid_job_is_completed_by_another_worker()
    {
        await using var server = await GearmandServer.StartAsync();
        var taken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var a = await RunningWorker.StartAsync(RunningWorker.Options(server), w => w.Register("slow", async (_, ct) =>
        {
            taken.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return "A"u8.ToArray();
        }));
        await using var client = GearmanTools.StartGearman(server, "-f", "slow", "payload");
        client.StandardInput.Close();
        await taken.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await a.DisposeAsync(); // the connection drops with the job in hand, nothing reported

        await using var b = await RunningWorker.StartAsync(RunningWorker.Options(server), w => w.Register("slow", (job, _) =>
            ValueTask.FromResult<ReadOnlyMemory<byte>>(Encoding.UTF8.GetBytes("B:" + Encoding.UTF8.GetString(job.Payload.Span)))));
        var result = await client.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("B:payload\n", result.Stdout);
        Assert.Equal(0, a.Worker.JobsCompleted);
        Assert.Equal(1, b.Worker.JobsCompleted);
    }
}
