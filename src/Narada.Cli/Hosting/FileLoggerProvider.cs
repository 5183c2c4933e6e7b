using Microsoft.Extensions.Logging;

namespace Narada.Cli.Hosting;

/// <summary>
/// Log entries appended to a file, one line each with the full date and offset, so the file reads on its own (gearmand's
/// <c>-l/--log-file</c>). Every line is flushed as it is written, so a crash loses nothing that was logged, and written
/// at the file's end as it is then, so logrotate's <c>copytruncate</c> leaves no hole of zeros where the old log was.
/// </summary>
internal sealed class FileLoggerProvider : ILoggerProvider
{
    private readonly string _path;
    private readonly Lock _gate = new();
    private FileStream _file;
    private StreamWriter _writer;
    private bool _disposed;

    private FileLoggerProvider(string path, FileStream file)
    {
        _path = path;
        (_file, _writer) = (file, Writer(file));
    }

    /// <summary>Opens (or creates) <paramref name="path"/> for appending; throws <see cref="IOException"/> or
    /// <see cref="UnauthorizedAccessException"/> saying why it cannot.</summary>
    public static FileLoggerProvider Open(string path) => new(path, OpenFile(path));

    /// <summary>
    /// Opens the path again, as gearmand does on SIGHUP: logrotate (Debian's rule for gearman-job-server) moves the
    /// file away and then signals, and the log goes on in a new file. Null when reopened; otherwise why not, and the
    /// log stays in the file it was in.
    /// </summary>
    public string? Reopen()
    {
        FileStream file;
        try
        {
            file = OpenFile(_path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
        lock (_gate)
        {
            if (_disposed)
            {
                file.Dispose();
                return null;
            }
            _writer.Dispose();
            (_file, _writer) = (file, Writer(file));
        }
        return null;
    }

    private static FileStream OpenFile(string path) =>
        new(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);

    private static StreamWriter Writer(FileStream file) => new(file) { AutoFlush = true };

    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

    private void Write(string line)
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            _file.Seek(0, SeekOrigin.End); // .NET opens without O_APPEND: find the end another program may have moved
            _writer.WriteLine(line);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _writer.Dispose();
        }
    }

    private sealed class FileLogger(FileLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
                return;
            var line = $"{DateTimeOffset.Now:yyyy-MM-dd HH:mm:ss.fff zzz} {Name(logLevel)}: {category}[{eventId.Id}] {formatter(state, exception)}";
            provider.Write(exception is null ? line : line + Environment.NewLine + exception);
        }

        private static string Name(LogLevel level) => level switch
        {
            LogLevel.Trace => "trce",
            LogLevel.Debug => "dbug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            _ => "crit",
        };
    }
}
