using System.Globalization;
using Narada.Testing;

namespace Narada.Chaos.Processes;

/// <summary>A job server with a persistent queue in a process of its own, that a scenario kills with SIGKILL and starts
/// again on the same port and queue file.</summary>
public abstract class JobServerUnderTest : IAsyncDisposable
{
    protected JobServerUnderTest(string directory)
    {
        Directory = directory;
        Port = FreePort.Next();
    }

    /// <summary>What RESULTS.md calls it.</summary>
    public abstract string Name { get; }

    public int Port { get; }

    protected string Directory { get; }

    /// <summary>The queue file: in the directory given, or in <see cref="QueueDirectory"/> when set before the start.</summary>
    protected string QueueFile => Path.Combine(QueueDirectory ?? Directory, "queue.sqlite");

    /// <summary>Where the queue file goes instead of the scenario's directory (a small disk).</summary>
    public string? QueueDirectory { get; set; }

    public abstract int Pid { get; }

    /// <summary>True when the server is not running though nobody killed it: it crashed.</summary>
    public abstract bool Crashed { get; }

    /// <summary>What it printed, for a crash's report.</summary>
    public abstract string Output { get; }

    /// <summary>Starts the server and returns once it accepts connections.</summary>
    public abstract Task StartAsync();

    /// <summary>SIGKILL: no chance to flush or close anything.</summary>
    public abstract Task KillAsync();

    public abstract ValueTask DisposeAsync();

    /// <summary><c>narada jobserver</c> with its default persistent queue (SQLite).</summary>
    public static JobServerUnderTest Narada(string directory) => new NaradaJobServer(directory);

    /// <summary>Stock gearmand with <c>-q libsqlite3</c>: the anchor.</summary>
    public static JobServerUnderTest Gearmand(string directory) => new GearmandQueue(directory);

    private sealed class NaradaJobServer(string directory) : JobServerUnderTest(directory)
    {
        private ExternalProcess? _process;

        public override string Name => "narada jobserver (SQLite queue)";

        public override int Pid => _process?.Id ?? 0;

        public override bool Crashed => _process is { HasExited: true };

        public override string Output => _process is null ? "" : _process.Stdout + _process.Stderr;

        public override async Task StartAsync() => _process = await NaradaProgram.StartListeningAsync(
            ["jobserver", "-p", Port.ToString(CultureInfo.InvariantCulture), "-q", "sqlite", "--libsqlite3-db", QueueFile, "--verbose", "WARNING"], Port);

        public override async Task KillAsync()
        {
            if (_process is not null)
                await _process.DisposeAsync();
            _process = null;
        }

        public override ValueTask DisposeAsync() => _process?.DisposeAsync() ?? ValueTask.CompletedTask;
    }

    private sealed class GearmandQueue(string directory) : JobServerUnderTest(directory)
    {
        private GearmandServer? _server;

        public override string Name => "gearmand -q libsqlite3";

        public override int Pid => _server?.Pid ?? 0;

        public override bool Crashed => _server is { HasExited: true };

        public override string Output => _server?.Log ?? "";

        public override async Task StartAsync() =>
            _server = await GearmandServer.StartOnPortAsync(Port, "-q", "libsqlite3", $"--libsqlite3-db={QueueFile}");

        public override async Task KillAsync()
        {
            if (_server is not null)
                await _server.DisposeAsync();
            _server = null;
        }

        public override ValueTask DisposeAsync() => _server?.DisposeAsync() ?? ValueTask.CompletedTask;
    }
}
