using Narada.Gearman.Admin;
using Narada.Gearman.Transport;

namespace Narada.Chaos.Processes;

/// <summary>The job server's <c>narada.results</c> queue, read through the admin protocol.</summary>
public static class ResultsQueue
{
    /// <summary>Waits until the job server holds no result (queued or running): everything handed over was taken.</summary>
    public static async Task DrainedAsync(ServerAddress jobServer, TimeSpan timeout)
    {
        await using var admin = await GearmanAdminClient.ConnectAsync(jobServer);
        await Wait.UntilAsync(async () => (await admin.GetStatusAsync()).FirstOrDefault(s => s.Function == "narada.results")?.Total is null or 0,
            timeout, "empty narada.results queue");
    }
}
