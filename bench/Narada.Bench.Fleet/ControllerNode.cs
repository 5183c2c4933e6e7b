using System.Globalization;
using Narada.Controller;
using Narada.Gearman.Transport;

namespace Narada.Bench.Fleet;

/// <summary>
/// The controller benchmark's child process: a real NaradaController alone in its process (so /proc/PID/stat is the
/// controller's CPU and nothing else), told about the simulated hosts before its scheduler starts so the first firing
/// already spreads over all of them. Commands on stdin: <c>counters</c> prints them, <c>stop</c> or EOF stops.
/// </summary>
internal static class ControllerNode
{
    public static async Task<int> RunAsync(string[] args)
    {
        var server = ServerAddress.Parse(args[0]);
        var options = new ControllerOptions
        {
            ConfigDirectory = args[1],
            DataDirectory = args[2],
            // Listing the server n times gives the controller n result-worker connections to it (a diagnostic knob).
            Servers = Enumerable.Repeat(server, args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1).ToArray(),
            HttpListen = null,
            WatchConfig = false,
        };
        await using var controller = new NaradaController(options);
        var now = DateTimeOffset.UtcNow;
        var empty = new Dictionary<string, object?>();
        for (int i = 0; i < SimulatedFleet.Hosts; i++)
            controller.Hosts.Heartbeat(SimulatedFleet.Host(i), [SimulatedFleet.Tag], ["nagios.check_dummy"], empty, "bench",
                TimeSpan.FromSeconds(30), now);
        await controller.StartAsync();
        Console.WriteLine("ready");
        while (await Console.In.ReadLineAsync() is { } line && line != "stop")
        {
            if (line == "counters")
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"counters dispatched={controller.Metrics.Dispatched.WithLabels("check").Value} " +
                    $"errors={controller.Metrics.DispatchErrors.WithLabels("check").Value} " +
                    $"checks={controller.Metrics.Results.WithLabels("check").Value} " +
                    $"heartbeats={controller.Metrics.Results.WithLabels("heartbeat").Value} " +
                    $"pending={controller.Metrics.Pending.Value}"));
        }
        return 0;
    }
}
