using Narada.Gearman.Admin;
using Narada.Gearman.Client;
using Narada.Gearman.Transport;
using Narada.Testing;

namespace Narada.Gearman.Tests.Client;

/// <summary>Real peers for client tests: the PHP worker script, <c>gearman -w</c>, and waiting until they registered.</summary>
internal static class Peers
{
    /// <summary>Starts Peers/worker.php serving <paramref name="functions"/> on every server given.</summary>
    public static ExternalProcess PhpWorker(IEnumerable<GearmandServer> servers, params string[] functions) =>
        ExternalProcess.Start(RequiredTool.Php,
            [Path.Combine(AppContext.BaseDirectory, "Peers", "worker.php"), string.Join(',', servers.Select(s => s.Address)), .. functions]);

    public static ExternalProcess PhpWorker(GearmandServer server, params string[] functions) => PhpWorker([server], functions);

    /// <summary>Starts <c>gearman -w -f function -- command...</c> against one server.</summary>
    public static ExternalProcess GearmanWorker(GearmandServer server, string function, params string[] command) =>
        ExternalProcess.Start(RequiredTool.Gearman, ["-w", "-h", server.Host, "-p", server.Port.ToString(), "-f", function, "--", .. command]);

    /// <summary>Waits until <paramref name="server"/> lists at least <paramref name="count"/> workers for the function.</summary>
    public static async Task WaitForWorkersAsync(GearmandServer server, string function, int count = 1, ExternalProcess? worker = null)
    {
        await using var admin = await GearmanAdminClient.ConnectAsync(Address(server));
        await Retry.UntilAsync(async () =>
        {
            if (worker is { HasExited: true })
                throw new InvalidOperationException($"worker exited: {worker.Stderr}");
            var status = await admin.GetStatusAsync();
            return status.Any(s => s.Function == function && s.AvailableWorkers >= count);
        }, $"{count} worker(s) for '{function}' on {server.Address}" + (worker is null ? "" : $" (worker stderr: {worker.Stderr})"));
    }

    public static ServerAddress Address(GearmandServer server) => new(server.Host, server.Port);

    public static GearmanClient Client(params GearmandServer[] servers) => Client(servers, exceptions: false);

    public static GearmanClient Client(IEnumerable<GearmandServer> servers, bool exceptions) =>
        new(new GearmanClientOptions { Servers = servers.Select(Address).ToArray(), Exceptions = exceptions });
}
