using System.Net;
using System.Runtime.InteropServices;
using Narada.JobServer;

namespace Narada.Bench.Hosting;

/// <summary>The child side of <see cref="ServerUnderTest.StartNaradaAsync"/>: Narada's job server alone in this process.</summary>
public static class JobServerHost
{
    /// <summary>The hidden verb that runs it.</summary>
    public const string Verb = "host-jobserver";

    public static async Task<int> RunAsync(BenchArguments args)
    {
        // Memory queue unless --database names the persistent queue's file.
        var options = new JobServerOptions { ListenAddresses = [IPAddress.Loopback], Port = args.Int("port", 4730), DatabasePath = args.String("database") };
        if (args.Has("busy-poll"))
            options = options with { BusyPoll = TimeSpan.FromMicroseconds(args.Int("busy-poll", 0)) };
        using var stop = new CancellationTokenSource();
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        await using var server = new Narada.JobServer.JobServer(options);
        await server.StartAsync(stop.Token);
        Console.WriteLine($"listening on {server.Endpoint}");
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // stopped by a signal
        }
        return 0;
    }
}
