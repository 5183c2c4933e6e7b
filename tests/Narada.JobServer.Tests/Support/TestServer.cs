using Narada.Testing;

namespace Narada.JobServer.Tests.Support;

/// <summary>A stock gearmand or an in-process Narada job server on a free loopback port, for one test.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly GearmandServer? _gearmand;

    private TestServer(ServerKind kind, int port, GearmandServer? gearmand, JobServer? narada)
    {
        Kind = kind;
        Port = port;
        _gearmand = gearmand;
        Narada = narada;
    }

    public ServerKind Kind { get; }
    public int Port { get; }
    public string Host => "127.0.0.1";
    public string PortText => Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
    public JobServer? Narada { get; }

    /// <summary>Whether the server process still runs (always true in process for Narada unless stopped).</summary>
    public bool IsAlive => _gearmand is null || !_gearmand.HasExited;

    public static async Task<TestServer> StartAsync(ServerKind kind, JobServerOptions? options = null)
    {
        if (kind == ServerKind.Gearmand)
        {
            var gearmand = await GearmandServer.StartAsync();
            return new TestServer(kind, gearmand.Port, gearmand, null);
        }
        var server = new JobServer((options ?? new JobServerOptions()) with { Port = 0, JobHandlePrefix = options?.JobHandlePrefix ?? "H:test" });
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
    }
}
