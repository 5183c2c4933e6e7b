using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Narada.Cli.Hosting;

/// <summary>What every long-running verb shares: console logging and a clean stop on Ctrl-C or SIGTERM.</summary>
internal static class ConsoleHost
{
    public static ILoggerFactory Logging(LogLevel level = LogLevel.Information) => LoggerFactory.Create(b => b
        .AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        })
        .SetMinimumLevel(level)
        .AddFilter("Microsoft", LogLevel.Warning)); // Kestrel's per-request lines drown Narada's own

    /// <summary>Runs <paramref name="body"/> with a token that fires on Ctrl-C or SIGTERM (the process is not killed).</summary>
    public static async Task<int> RunUntilStoppedAsync(Func<CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        return await body(stop.Token);

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    /// <summary>Waits until the token fires.</summary>
    public static async Task WaitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
