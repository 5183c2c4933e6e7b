using Narada.Gearman.Transport;
using Narada.Testing;

namespace Narada.Gearman.Tests.Tls;

/// <summary>
/// Stock gearmand behind an OpenSSL TLS front (Perl IO::Socket::SSL). Debian's gearmand accepts <c>--ssl</c> but is built
/// without TLS (it reads the ClientHello as a packet: "invalid magic value"), so this is how a real, non-.NET TLS peer
/// serves the library's client and worker.
/// </summary>
internal sealed class TlsTerminatedGearmand : IAsyncDisposable
{
    private readonly GearmandServer _gearmand;
    private readonly ExternalProcess _front;

    private TlsTerminatedGearmand(GearmandServer gearmand, ExternalProcess front, int port)
    {
        _gearmand = gearmand;
        _front = front;
        Address = new ServerAddress("127.0.0.1", port);
    }

    /// <summary>The TLS port.</summary>
    public ServerAddress Address { get; }

    /// <summary>What the TLS front reported (refused handshakes).</summary>
    public string FrontLog => _front.Stderr;

    public static async Task<TlsTerminatedGearmand> StartAsync(TestPki pki, bool requireClientCertificate)
    {
        var gearmand = await GearmandServer.StartAsync();
        int port = FreePort.Next();
        var script = Path.Combine(AppContext.BaseDirectory, "Peers", "tls-terminator.pl");
        var front = ExternalProcess.Start(RequiredTool.Perl, [script, port.ToString(), gearmand.Port.ToString(),
            pki.ServerCertificateFile, pki.ServerKeyFile, pki.CaFile, requireClientCertificate ? "1" : "0"]);
        await GearmandServer.WaitForListenerAsync(port, () => front.HasExited ? $"TLS front exited: {front.Stderr}" : null);
        return new TlsTerminatedGearmand(gearmand, front, port);
    }

    public async ValueTask DisposeAsync()
    {
        await _front.DisposeAsync();
        await _gearmand.DisposeAsync();
    }
}
