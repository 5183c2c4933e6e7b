using Narada.Gearman.Transport;
using Narada.JobServer;

namespace Narada.Bench.Fleet;

/// <summary>Narada's job server in this process on a free loopback port: the server side of every benchmark here.</summary>
internal sealed class LocalJobServer : IAsyncDisposable
{
    private readonly JobServer.JobServer _server;

    private LocalJobServer(JobServer.JobServer server) => _server = server;

    public ServerAddress Address => new("127.0.0.1", _server.Endpoint.Port);

    public int Port => _server.Endpoint.Port;

    public static async Task<LocalJobServer> StartAsync()
    {
        var server = new JobServer.JobServer(new JobServerOptions { Port = 0 });
        await server.StartAsync();
        return new LocalJobServer(server);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
