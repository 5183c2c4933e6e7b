using Narada.Core.Execution;
using Narada.Testing;

namespace Narada.Core.Tests.Execution;

public class BackgroundWorkTests
{
    [Fact]
    public async Task A_failure_is_reported_with_what_failed_instead_of_lost()
    {
        var reported = new TaskCompletionSource<(string, Exception)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var work = new BackgroundWork((what, e) => reported.TrySetResult((what, e)));

        Assert.True(work.Start("rollout web", _ => throw new InvalidDataException("template broke")));

        var (what, error) = await reported.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("rollout web", what);
        Assert.IsType<InvalidDataException>(error);
    }

    [Fact]
    public async Task Dispose_cancels_what_runs_and_returns_only_when_it_has_ended()
    {
        var failures = 0;
        var work = new BackgroundWork((_, _) => Interlocked.Increment(ref failures));
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cleanedUp = false;
        work.Start("long", async stop =>
        {
            started.SetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, stop);
            }
            finally
            {
                await Task.Yield();
                cleanedUp = true;
            }
        });
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, work.Count);

        await work.DisposeAsync();

        Assert.True(cleanedUp);
        Assert.Equal(0, work.Count);
        Assert.Equal(0, failures); // cancellation at stop is not a failure
    }

    [Fact]
    public async Task Once_stopping_began_no_new_work_starts()
    {
        var work = new BackgroundWork((_, _) => { });
        await work.DisposeAsync();
        var ran = false;

        Assert.False(work.Start("late", _ =>
        {
            ran = true;
            return Task.CompletedTask;
        }));
        Assert.False(ran);
    }

    [Fact]
    public async Task Finished_work_is_forgotten()
    {
        await using var work = new BackgroundWork((_, _) => { });
        for (int i = 0; i < 100; i++)
            work.Start("quick", _ => Task.CompletedTask);

        await Retry.UntilAsync(() => work.Count == 0, "every finished task forgotten");
    }
}
