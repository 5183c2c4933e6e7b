using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Narada.Cli.Hosting;

/// <summary>What every long-running verb shares: console logging and a clean stop on Ctrl-C or SIGTERM.</summary>
internal static class ConsoleHost
{
    public static ILoggerFactory Logging(LogLevel level = LogLevel.Information) => ConsoleLogging(level, toStandardError: false);

    /// <summary>
    /// Logging as gearmand's <c>-l/--log-file</c> names it: no value logs to the console like the other verbs,
    /// <c>stderr</c> to standard error, <c>none</c> nowhere, anything else is a file appended to. A file that cannot be
    /// opened throws <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/>. <paramref name="file"/> is
    /// the file's provider, to reopen it after a rotation.
    /// </summary>
    public static ILoggerFactory Logging(LogLevel level, string? logFile, out FileLoggerProvider? file)
    {
        file = null;
        switch (logFile)
        {
            case null:
                return Logging(level);
            case "stderr":
                return ConsoleLogging(level, toStandardError: true);
            case "none":
                return LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.None));
        }
        var provider = FileLoggerProvider.Open(logFile);
        file = provider;
        return LoggerFactory.Create(b => Narada(b.AddProvider(provider), level));
    }

    private static ILoggerFactory ConsoleLogging(LogLevel level, bool toStandardError) => LoggerFactory.Create(b => Narada(b
        .AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        })
        .AddConsole(o => o.LogToStandardErrorThreshold = toStandardError ? LogLevel.Trace : LogLevel.None), level));

    private static ILoggingBuilder Narada(ILoggingBuilder builder, LogLevel level) => builder
        .SetMinimumLevel(level)
        .AddFilter("Microsoft", LogLevel.Warning); // Kestrel's per-request lines drown Narada's own

    /// <summary>SIGHUPs taken while the verb was starting, before it set up its reloads (<see cref="OnHangup"/>).</summary>
    private static int s_hangupsWhileStarting;

    /// <summary>
    /// Runs <paramref name="body"/> with a token that fires on Ctrl-C or SIGTERM (the process is not killed). A SIGHUP
    /// never ends it either: one that comes while it starts, before the verb has set up its reload, is remembered, and
    /// each reload the verb sets up (<see cref="OnHangup"/>) runs once for it: a file edited while the server started
    /// (after it was read) is not left unread.
    /// </summary>
    public static async Task<int> RunUntilStoppedAsync(Func<CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var onHangupWhileStarting = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            Interlocked.Increment(ref s_hangupsWhileStarting);
        });
        return await body(stop.Token);

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> on SIGHUP instead of letting the signal end the process: a service's reload
    /// (<c>systemctl reload</c>, logrotate) must never be a crash. The action runs on the runtime's signal thread.
    /// </summary>
    public static PosixSignalRegistration OnHangup(Action action)
    {
        var registration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            action();
        });
        if (Volatile.Read(ref s_hangupsWhileStarting) > 0)
            action(); // a reload asked for while starting
        return registration;
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
