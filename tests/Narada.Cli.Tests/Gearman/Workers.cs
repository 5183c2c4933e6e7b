using Narada.Gearman.Admin;
using Narada.Gearman.Transport;
using Narada.Testing;

namespace Narada.Cli.Tests.Gearman;

/// <summary>Starts real workers (narada's and the gearman tool's) and waits until the job server lists them.</summary>
public static class Workers
{
    /// <summary>Starts <c>narada worker</c> and waits until <paramref name="function"/> has one more worker.</summary>
    public static Task<ExternalProcess> StartNaradaAsync(GearmandServer server, string function, params string[] args) =>
        StartAsync(server, function, p => NaradaCli.Start(["worker", "-h", server.Host, "-p", $"{server.Port}", "-f", function, .. args]));

    /// <summary>Starts <c>gearman -w</c> and waits until <paramref name="function"/> has one more worker.</summary>
    public static Task<ExternalProcess> StartGearmanAsync(GearmandServer server, string function, params string[] args) =>
        StartAsync(server, function, p => ExternalProcess.Start(RequiredTool.Gearman, ["-w", "-h", server.Host, "-p", $"{server.Port}", "-f", function, .. args]));

    public static async Task<ExternalProcess> StartAsync(GearmandServer server, string function, Func<GearmandServer, ExternalProcess> start)
    {
        long before = await CountAsync(server, function);
        var process = start(server);
        await Retry.UntilAsync(async () =>
        {
            if (process.HasExited)
                throw new InvalidOperationException($"worker exited: {process.Stderr}");
            return await CountAsync(server, function) > before;
        }, $"a worker for {function}", TimeSpan.FromSeconds(20));
        return process;
    }

    /// <summary>Workers the server lists for <paramref name="function"/>.</summary>
    public static async Task<long> CountAsync(GearmandServer server, string function)
    {
        await using var admin = await GearmanAdminClient.ConnectAsync(new ServerAddress(server.Host, server.Port));
        return (await admin.GetStatusAsync()).FirstOrDefault(s => s.Function == function)?.AvailableWorkers ?? 0;
    }

    /// <summary>Jobs (queued plus running) the server holds for <paramref name="function"/>.</summary>
    public static async Task<long> JobsAsync(GearmandServer server, string function)
    {
        await using var admin = await GearmanAdminClient.ConnectAsync(new ServerAddress(server.Host, server.Port));
        return (await admin.GetStatusAsync()).FirstOrDefault(s => s.Function == function)?.Total ?? 0;
    }
}
