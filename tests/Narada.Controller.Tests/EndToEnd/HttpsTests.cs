using Narada.Gearman.Tls;
using Narada.Gearman.Transport;
using Narada.Testing;

namespace Narada.Controller.Tests.EndToEnd;

/// <summary>The controller's HTTP endpoints over TLS with a certificate from the fleet's own CA.</summary>
[Trait("Category", "Peers")]
public sealed class HttpsTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("narada-https-").FullName;
    private readonly TestPki _pki = TestPki.Create();
    private GearmandServer _gearmand = null!;
    private NaradaController _controller = null!;

    public async Task InitializeAsync()
    {
        _gearmand = await GearmandServer.StartAsync();
        var config = Directory.CreateDirectory(Path.Combine(_dir, "config")).FullName;
        File.WriteAllText(Path.Combine(config, "c.yaml"), "kind: Check\nname: d\nplugin: nagios.check_dummy\nevery: 1h\ntargets: { tags: [x] }\n");
        _controller = new NaradaController(new ControllerOptions
        {
            ConfigDirectory = config,
            DataDirectory = Path.Combine(_dir, "data"),
            Servers = [new ServerAddress(_gearmand.Host, _gearmand.Port)],
            HttpListen = "127.0.0.1:0",
            HttpsCertificateFile = _pki.ServerCertificateFile,
            HttpsKeyFile = _pki.ServerKeyFile,
        });
        await _controller.StartAsync();
    }

    [Fact]
    public async Task Metrics_are_served_over_https_to_clients_that_trust_the_fleet_ca_only()
    {
        Assert.Equal("https", _controller.HttpAddress!.Scheme);
        using var trusting = new HttpClient(new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, errors) => CustomCaValidation.Validate(_pki.CaFile, certificate, errors),
        });
        var metrics = await trusting.GetStringAsync(new Uri(_controller.HttpAddress, "/metrics"));
        Assert.Contains("narada_scheduler_firings_total", metrics);

        using var stranger = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => stranger.GetStringAsync(new Uri(_controller.HttpAddress, "/metrics")));
        var plain = new UriBuilder(_controller.HttpAddress) { Scheme = "http" }.Uri;
        await Assert.ThrowsAnyAsync<Exception>(() => stranger.GetStringAsync(new Uri(plain, "/metrics")));
    }

    public async Task DisposeAsync()
    {
        await _controller.DisposeAsync();
        await _gearmand.DisposeAsync();
        _pki.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
