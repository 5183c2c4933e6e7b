using System.Net.Sockets;

namespace Narada.Testing;

/// <summary>A stock gearmand from Debian's gearman-job-server, on a free loopback port, for the length of a test.</summary>
public sealed class GearmandServer : IAsyncDisposable
{
    private readonly ExternalProcess _process;

    private GearmandServer(ExternalProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }
    public string Host => "127.0.0.1";

    /// <summary>"127.0.0.1:port", the form the library, the tools and GEARMAN_SERVER take.</summary>
    public string Address => $"{Host}:{Port}";

    public string Log => _process.Stdout + _process.Stderr;

    public static Task<GearmandServer> StartAsync(params string[] extraArgs) => StartOnPortAsync(FreePort.Next(), extraArgs);

    /// <summary>Starts gearmand on a given port, e.g. the port of one that was just stopped, to test reconnects.</summary>
    public static async Task<GearmandServer> StartOnPortAsync(int port, params string[] extraArgs)
    {
        string[] args = ["--listen=127.0.0.1", $"--port={port}", "--log-file=stderr", "--verbose=ERROR", .. extraArgs];
        var process = ExternalProcess.Start(RequiredTool.Gearmand, args);
        var server = new GearmandServer(process, port);
        await WaitForListenerAsync(port, () => process.HasExited ? $"gearmand exited: {process.Stderr}" : null);
        return server;
    }

    /// <summary>Waits until something accepts connections on the port; <paramref name="failure"/> aborts at once.</summary>
    public static async Task WaitForListenerAsync(int port, Func<string?> failure, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var why = failure();
            if (why is not null)
                throw new InvalidOperationException(why);
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The gearmand process's id (for /proc readings, or a kill -9 of its own).</summary>
    public int Pid => _process.Id;

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
