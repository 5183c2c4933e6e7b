using System.Net.Sockets;
using System.Reflection;
using Narada.Gearman.Transport;

namespace Narada.Bench.Hosting;

/// <summary>A job server the benchmark runs as its own process on a free loopback port: stock gearmand or Narada's.</summary>
public sealed class ServerUnderTest : IAsyncDisposable
{
    public const string Gearmand = "/usr/sbin/gearmand";

    private readonly ChildProcess _process;

    private ServerUnderTest(string name, string command, ChildProcess process, int port)
    {
        Name = name;
        Command = command;
        _process = process;
        Address = new ServerAddress("127.0.0.1", port);
    }

    /// <summary>"gearmand" or "narada".</summary>
    public string Name { get; }

    /// <summary>The command line that started it, for the report.</summary>
    public string Command { get; }

    public ServerAddress Address { get; }
    public int Port => Address.Port;
    public ChildProcess Process => _process;

    /// <summary>Stock gearmand with its default threads, memory queue, errors only.</summary>
    public static Task<ServerUnderTest> StartGearmandAsync(params string[] extraArgs)
    {
        if (!File.Exists(Gearmand))
            throw new InvalidOperationException($"{Gearmand} is missing: apt-get install gearman-job-server");
        int port = FreePort.Next();
        string[] args = ["--listen=127.0.0.1", $"--port={port}", "--log-file=stderr", "--verbose=ERROR", .. extraArgs];
        return StartAsync("gearmand", Gearmand, args, port, null);
    }

    /// <summary>
    /// Narada's job server: <c>dotnet narada.dll jobserver</c> when <paramref name="naradaDll"/> is given, else this
    /// benchmark's own binary running the same <c>JobServer</c> in a process of its own. Memory queue unless
    /// <paramref name="database"/> names the persistent queue's file.
    /// </summary>
    /// <remarks><paramref name="environment"/> (e.g. runtime knobs such as <c>DOTNET_...</c>) goes to the server process only;
    /// <paramref name="busyPoll"/> (microseconds) is passed on as <c>--busy-poll</c>, the server's default when null.</remarks>
    public static Task<ServerUnderTest> StartNaradaAsync(string? naradaDll, IReadOnlyDictionary<string, string>? environment = null,
        int? busyPoll = null, string? database = null)
    {
        int port = FreePort.Next();
        string[] poll = busyPoll is { } us ? ["--busy-poll", $"{us}"] : [];
        if (naradaDll is not null)
        {
            string[] queue = database is null ? ["-q", "none"] : ["--libsqlite3-db", database];
            return StartAsync("narada", "dotnet", [naradaDll, "jobserver", "--port", $"{port}", "--verbose", "ERROR", .. queue, .. poll],
                port, environment);
        }
        var (file, prefix) = SelfCommand();
        string[] store = database is null ? [] : ["--database", database];
        return StartAsync("narada", file, [.. prefix, JobServerHost.Verb, "--port", $"{port}", .. store, .. poll], port, environment);
    }

    /// <summary>How to start this program again: its apphost, or <c>dotnet Narada.Bench.dll</c>.</summary>
    private static (string File, string[] Prefix) SelfCommand()
    {
        var path = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell where this program lives");
        return Path.GetFileNameWithoutExtension(path) == "dotnet"
            ? (path, [Assembly.GetEntryAssembly()!.Location])
            : (path, []);
    }

    private static async Task<ServerUnderTest> StartAsync(string name, string file, string[] args, int port,
        IReadOnlyDictionary<string, string>? environment)
    {
        var process = ChildProcess.Start(file, args, environment);
        string env = environment is null ? "" : string.Concat(environment.Select(e => $"{e.Key}={e.Value} "));
        var server = new ServerUnderTest(name, $"{env}{Path.GetFileName(file)} {string.Join(' ', args)}", process, port);
        try
        {
            await WaitForListenerAsync(server);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private static async Task WaitForListenerAsync(ServerUnderTest server)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            if (server._process.HasExited)
                throw new InvalidOperationException($"{server.Name} exited at start: {server._process.Output}");
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync("127.0.0.1", server.Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
