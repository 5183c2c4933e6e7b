using Narada.Gearman.Admin;
using Narada.Gearman.Transport;

namespace Narada.Bench.Load;

/// <summary>Watches a job server through its text admin protocol: workers registered, queue drained.</summary>
public static class QueueProbe
{
    /// <summary>Waits until at least <paramref name="count"/> workers can do <paramref name="function"/>.</summary>
    public static Task WaitForWorkersAsync(ServerAddress server, string function, int count, TimeSpan timeout) =>
        WaitAsync(server, function, s => s is not null && s.AvailableWorkers >= count, $"{count} workers for {function}", timeout);

    /// <summary>Waits until <paramref name="function"/> has no queued or running job.</summary>
    public static Task WaitForDrainAsync(ServerAddress server, string function, TimeSpan timeout) =>
        WaitAsync(server, function, s => s is null || s.Total == 0, $"an empty {function} queue", timeout);

    private static async Task WaitAsync(ServerAddress server, string function, Func<FunctionStatus?, bool> done,
        string what, TimeSpan timeout)
    {
        await using var admin = await GearmanAdminClient.ConnectAsync(server);
        var deadline = DateTime.UtcNow + timeout;
        FunctionStatus? last = null;
        while (true)
        {
            var status = await admin.GetStatusAsync();
            last = status.FirstOrDefault(s => s.Function == function);
            if (done(last))
                return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{server}: no {what} within {timeout} (last status: {last})");
            await Task.Delay(5);
        }
    }
}
