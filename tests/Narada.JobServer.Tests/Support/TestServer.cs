using Narada.Testing;

namespace Narada.JobServer.Tests.Support;

/// <summary>A stock gearmand, an in-process Narada job server or a <c>narada jobserver</c> process on a free loopback port, for one test.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly GearmandServer? _gearmand;
    private readonly NaradaProcess? _process;

    private TestServer(ServerKind kind, int port, GearmandServer? gearmand, JobServer? narada, NaradaProcess? process = null)
    {
        Kind = kind;
        Port = port;
        _gearmand = gearmand;
        Narada = narada;
        _process = process;
    }

    public ServerKind Kind { get; }
    public int Port { get; }
    public string Host => "127.0.0.1";
    public string PortText => Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
    public JobServer? Narada { get; }

    /// <summary>Whether the server process still runs (always true in process for Narada unless stopped).</summary>
    public bool IsAlive => (_gearmand is null || !_gearmand.HasExited) && (_process is null || !_process.Process.HasExited);

    public static async Task<TestServer> StartAsync(ServerKind kind, JobServerOptions? options = null)
    {
        if (kind == ServerKind.Gearmand)
        {
            var gearmand = await GearmandServer.StartAsync();
            return new TestServer(kind, gearmand.Port, gearmand, null);
        }
        if (kind == ServerKind.NaradaProcess)
        {
            if (options is not null)
                throw new ArgumentException("options are for the in-process server", nameof(options));
            var process = await NaradaProcess.StartAsync(FreePort.Next(), "-q", "none", "--job-handle-prefix", "H:test");
            return new TestServer(kind, process.Port, null, null, process);
        }
        var server = new JobServer((options ?? new JobServerOptions()) with { Port = FreePort.Next(), JobHandlePrefix = options?.JobHandlePrefix ?? "H:test" });
        await server.StartAsync();
        return new TestServer(kind, server.Endpoint.Port, null, server);
    }

    /// <summary>Arguments that point a gearman/gearadmin tool at this server.</summary>
    public string[] ToolArgs => ["-h", Host, "-p", PortText];

    public async ValueTask DisposeAsync()
    {
        if (_gearmand is not null)
            await _gearmand.DisposeAsync();
        if (Narada is not null)
            await Narada.DisposeAsync();
        if (_process is not null)
            await _process.DisposeAsync();
    }
}
