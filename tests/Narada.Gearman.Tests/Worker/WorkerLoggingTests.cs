using Microsoft.Extensions.Logging;
using Narada.Gearman.Transport;
using Narada.Gearman.Worker;
using Narada.Testing;

namespace Narada.Gearman.Tests.Worker;

/// <summary>Connection trouble and handler failures reach the configured logger.</summary>
[Trait("Category", "Peers")]
public sealed class WorkerLoggingTests
{
    [Fact]
    public async Task Unreachable_server_and_a_throwing_handler_are_logged_as_warnings()
    {
        await using var server = await GearmandServer.StartAsync();
        var logger = new RecordingLogger();
        int deadPort = FreePort.Next();
        var options = RunningWorker.Options(server) with
        {
            Servers = [new ServerAddress("127.0.0.1", deadPort), new ServerAddress(server.Host, server.Port)],
            Logger = logger,
        };
        await using var worker = await RunningWorker.StartAsync(options, w => w.Register("explode", (_, _) => throw new InvalidOperationException("boom")));

        var php = await GearmanTools.PhpAsync("php-client-do.php", server.Host, server.Port.ToString(), "explode", "x");
        Assert.Equal(1, php.ExitCode);
        await Retry.UntilAsync(() => logger.Has(LogLevel.Warning, $"127.0.0.1:{deadPort}"), "the unreachable server to be logged");
        await Retry.UntilAsync(() => logger.Has(LogLevel.Warning, "explode"), "the handler exception to be logged");
    }

    private sealed class RecordingLogger : ILogger
    {
        private readonly List<(LogLevel Level, string Message)> _entries = [];

        public bool Has(LogLevel level, string text)
        {
            lock (_entries)
                return _entries.Any(e => e.Level == level && e.Message.Contains(text, StringComparison.Ordinal));
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            lock (_entries)
                _entries.Add((logLevel, formatter(state, exception)));
        }
    }
}
