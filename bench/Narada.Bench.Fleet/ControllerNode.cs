using System.Globalization;
using Narada.Controller;
using Narada.Controller.Store;
using Narada.Gearman.Transport;

namespace Narada.Bench.Fleet;

/// <summary>
/// A benchmark's controller child process: a real NaradaController alone in its process (so /proc/PID/stat is the
/// controller's CPU and nothing else). Arguments: <c>server configDir dataDir [connections] [--store S] [--no-fleet]
/// [--hold]</c>. By default it is told about the controller benchmark's simulated hosts before its scheduler starts, so
/// the first firing already spreads over all of them (<c>--no-fleet</c>: no hosts); <c>--store</c> takes what the
/// controller's <c>--store</c> takes (default: SQLite in dataDir); <c>--hold</c> prints <c>holding</c> once the runtime
/// is up and starts the controller on <c>go</c>. Commands on stdin: <c>counters</c> prints them, <c>flush</c> waits for
/// the history writer and prints <c>flushed</c>, <c>stop</c> or EOF stops.
/// </summary>
internal static class ControllerNode
{
    public static async Task<int> RunAsync(string[] args)
    {
        var server = ServerAddress.Parse(args[0]);
        var flags = args.Skip(3).ToList();
        int connections = flags.Count > 0 && int.TryParse(flags[0], CultureInfo.InvariantCulture, out var n) ? n : 1;
        int store = flags.IndexOf("--store");
        var options = new ControllerOptions
        {
            ConfigDirectory = args[1],
            DataDirectory = args[2],
            Store = store >= 0 ? StoreLocation.Parse(flags[store + 1]) : null,
            // Listing the server n times gives the controller n result-worker connections to it (a diagnostic knob).
            Servers = Enumerable.Repeat(server, connections).ToArray(),
            HttpListen = null,
            WatchConfig = false,
        };
        await using var controller = new NaradaController(options);
        if (!flags.Contains("--no-fleet"))
        {
            var now = DateTimeOffset.UtcNow;
            var empty = new Dictionary<string, object?>();
            for (int i = 0; i < SimulatedFleet.Hosts; i++)
                controller.Hosts.Heartbeat(SimulatedFleet.Host(i), [SimulatedFleet.Tag], ["nagios.check_dummy"], empty, "bench",
                    TimeSpan.FromSeconds(30), now);
        }
        if (flags.Contains("--hold"))
        {
            Console.WriteLine("holding");
            if (await Console.In.ReadLineAsync() != "go")
                return 0;
        }
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
                    $"passive={controller.Metrics.Results.WithLabels("passive").Value} " +
                    $"invalid={controller.Metrics.InvalidResults.Value} " +
                    $"pending={controller.Metrics.Pending.Value}"));
            else if (line == "flush")
            {
                await controller.History.FlushAsync();
                Console.WriteLine("flushed");
            }
        }
        return 0;
    }
}
