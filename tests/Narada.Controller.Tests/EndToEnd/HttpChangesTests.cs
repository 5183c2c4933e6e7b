using System.Net;
using System.Net.Security;
using System.Text;
using Narada.Gearman.Tls;
using Narada.Gearman.Transport;
using Narada.Testing;

namespace Narada.Controller.Tests.EndToEnd;

/// <summary>
/// Who may change things through the controller's HTTP API (apply, silences) when it listens beyond loopback: reading
/// is open to whoever can connect, changes come from loopback or from a client with a certificate from the client CA.
/// </summary>
[Trait("Category", "Peers")]
public sealed class HttpChangesTests : IAsyncLifetime
{
    private const string Silence = """{"host":"web01","duration":"1h","reason":"test"}""";

    private readonly string _dir = Directory.CreateTempSubdirectory("narada-http-changes-").FullName;
    private readonly TestPki _pki = TestPki.Create();
    private readonly IPAddress _outside = NonLoopback.Address();
    private GearmandServer _gearmand = null!;

    public async Task InitializeAsync() => _gearmand = await GearmandServer.StartAsync();

    [Fact]
    public async Task Over_plain_http_changes_come_from_loopback_only_and_reading_is_open()
    {
        await using var controller = await StartAsync(https: false, clientCa: false);
        int port = controller.HttpAddress!.Port;
        using var http = new HttpClient();

        var metrics = await http.GetAsync($"http://{_outside}:{port}/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);

        var remote = await PostSilenceAsync(http, $"http://{_outside}:{port}/");
        Assert.Equal(HttpStatusCode.Forbidden, remote.StatusCode);
        Assert.Contains("loopback only", await remote.Content.ReadAsStringAsync());
        Assert.Empty(controller.Silences.Active(DateTimeOffset.UtcNow));

        var local = await PostSilenceAsync(http, $"http://127.0.0.1:{port}/");
        Assert.Equal(HttpStatusCode.OK, local.StatusCode);
        var silence = Assert.Single(controller.Silences.Active(DateTimeOffset.UtcNow));

        // an acknowledged silence outlives the controller
        await controller.DisposeAsync();
        await using var restarted = await StartAsync(https: false, clientCa: false, _lastConfig);
        var kept = Assert.Single(restarted.Silences.Active(DateTimeOffset.UtcNow));
        Assert.Equal((silence.Id, silence.Host, silence.Reason), (kept.Id, kept.Host, kept.Reason));
        Assert.True((silence.Until - kept.Until).Duration() < TimeSpan.FromMilliseconds(1), "the silence's end moved");
    }

    [Fact]
    public async Task Over_https_with_a_client_ca_a_client_certificate_lets_another_machine_make_changes()
    {
        await using var controller = await StartAsync(https: true, clientCa: true);
        var address = $"https://{_outside}:{controller.HttpAddress!.Port}/";

        using var anonymous = new HttpClient(Trusting());
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(address + "metrics")).StatusCode);
        var refused = await PostSilenceAsync(anonymous, address);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("client certificate", await refused.Content.ReadAsStringAsync());
        Assert.Empty(controller.Silences.Active(DateTimeOffset.UtcNow));

        var (certificate, key) = _pki.IssueClient("operator");
        var handler = Trusting();
        handler.ClientCertificates.Add(PemFiles.LoadCertificateWithKey(certificate, key));
        using var operatorClient = new HttpClient(handler);
        var accepted = await PostSilenceAsync(operatorClient, address);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Single(controller.Silences.Active(DateTimeOffset.UtcNow));

        // a certificate from another CA does not get through the handshake at all
        using var otherPki = TestPki.Create("Another CA");
        var (foreign, foreignKey) = otherPki.IssueClient("intruder");
        var foreignHandler = Trusting();
        foreignHandler.ClientCertificates.Add(PemFiles.LoadCertificateWithKey(foreign, foreignKey));
        using var intruder = new HttpClient(foreignHandler);
        await Assert.ThrowsAsync<HttpRequestException>(() => PostSilenceAsync(intruder, address));
        Assert.Single(controller.Silences.Active(DateTimeOffset.UtcNow));
    }

    private string _lastConfig = "";

    [Fact]
    public async Task With_a_users_file_a_client_certificate_is_the_user_its_cn_names_and_loopback_is_no_longer_enough()
    {
        var users = Path.Combine(_dir, "users.yaml");
        File.WriteAllText(users, new Narada.Controller.Access.UsersFile([
            new("alice", Narada.Controller.Access.Role.Operator) { Certificate = "ops-laptop" },
            new("bob", Narada.Controller.Access.Role.Viewer),
        ]).Write());
        await using var controller = await StartAsync(https: true, clientCa: true, usersFile: users);
        var address = $"https://{_outside}:{controller.HttpAddress!.Port}/";

        async Task<HttpStatusCode> PostAsAsync(string? commonName)
        {
            var handler = Trusting();
            if (commonName is not null)
            {
                var (certificate, key) = _pki.IssueClient(commonName);
                handler.ClientCertificates.Add(PemFiles.LoadCertificateWithKey(certificate, key));
            }
            using var client = new HttpClient(handler);
            return (await PostSilenceAsync(client, address)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsAsync(null));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsAsync("stranger"));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsAsync("alice")); // alice's certificate name is ops-laptop
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsAsync("bob"));
        Assert.Empty(controller.Silences.Active(DateTimeOffset.UtcNow));
        Assert.Equal(HttpStatusCode.OK, await PostAsAsync("ops-laptop"));
        Assert.Single(controller.Silences.Active(DateTimeOffset.UtcNow));

        using var local = new HttpClient(Trusting());
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostSilenceAsync(local, $"https://127.0.0.1:{controller.HttpAddress!.Port}/")).StatusCode);
        var audit = controller.History.RecentAudit(10, action: "silence");
        Assert.Equal("alice", Assert.Single(audit).Actor);
    }

    [Fact]
    public async Task An_apply_request_with_an_unknown_parameter_or_a_body_is_refused_before_anything_starts()
    {
        await using var controller = await StartAsync(https: false, clientCa: false);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{controller.HttpAddress!.Port}/") };

        // A typo of dry_run must not turn a preview into a real rollout.
        var typo = await http.PostAsync("api/apply/motd?dryrun=true", null);
        Assert.Equal(HttpStatusCode.BadRequest, typo.StatusCode);
        Assert.Contains("unknown parameter 'dryrun'", await typo.Content.ReadAsStringAsync());

        var body = await http.PostAsync("api/apply/motd", new StringContent("""{"dry_run":true}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, body.StatusCode);
        Assert.Contains("query string", await body.Content.ReadAsStringAsync());
        Assert.Empty(controller.History.RecentRollouts(10));

        // The same request spelt right reaches the rollout (which reports that there is no such Apply).
        var right = await http.PostAsync("api/apply/motd?dry_run=true", null);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("\"event\":\"error\"", await right.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_query_value_of_the_wrong_kind_is_a_400_that_names_it()
    {
        await using var controller = await StartAsync(https: false, clientCa: false);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{controller.HttpAddress!.Port}/") };

        var events = await http.GetAsync("api/events?limit=abc");
        Assert.Equal(HttpStatusCode.BadRequest, events.StatusCode);
        Assert.Contains("limit", await events.Content.ReadAsStringAsync());
        var dryRun = await http.PostAsync("api/apply/motd?dry_run=maybe", null);
        Assert.Equal(HttpStatusCode.BadRequest, dryRun.StatusCode);
        Assert.Contains("dry_run", await dryRun.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_silence_with_a_misspelt_key_is_refused_rather_than_widened_to_everything()
    {
        await using var controller = await StartAsync(https: false, clientCa: false);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{controller.HttpAddress!.Port}/") };

        var typo = await http.PostAsync("api/silences", new StringContent("""{"hots":"web01","duration":"1h"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, typo.StatusCode);
        Assert.Contains("hots", await typo.Content.ReadAsStringAsync());
        var notJson = await http.PostAsync("api/silences", new StringContent("host=web01", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Empty(controller.Silences.Active(DateTimeOffset.UtcNow));

        var right = await PostSilenceAsync(http, http.BaseAddress!.ToString());
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal("web01", Assert.Single(controller.Silences.Active(DateTimeOffset.UtcNow)).Host);
    }

    private async Task<NaradaController> StartAsync(bool https, bool clientCa, string? existingConfig = null, string? usersFile = null)
    {
        var config = existingConfig ?? Directory.CreateDirectory(Path.Combine(_dir, $"config-{Guid.NewGuid():N}")).FullName;
        _lastConfig = config;
        File.WriteAllText(Path.Combine(config, "c.yaml"), "kind: Check\nname: d\nplugin: nagios.check_dummy\nevery: 1h\ntargets: { tags: [x] }\n");
        var controller = new NaradaController(new ControllerOptions
        {
            ConfigDirectory = config,
            DataDirectory = Path.Combine(config, "data"),
            Servers = [new ServerAddress(_gearmand.Host, _gearmand.Port)],
            HttpListen = "0.0.0.0:0",
            HttpsCertificateFile = https ? _pki.ServerCertificateFile : null,
            HttpsKeyFile = https ? _pki.ServerKeyFile : null,
            HttpsClientCaFile = clientCa ? _pki.CaFile : null,
            UsersFile = usersFile,
        });
        await controller.StartAsync();
        return controller;
    }

    private static Task<HttpResponseMessage> PostSilenceAsync(HttpClient http, string address) =>
        http.PostAsync(address + "api/silences", new StringContent(Silence, Encoding.UTF8, "application/json"));

    /// <summary>Trusts the test CA; the server certificate names loopback, and this test reaches it by another address.</summary>
    private HttpClientHandler Trusting() => new()
    {
        ServerCertificateCustomValidationCallback = (_, certificate, _, errors) =>
            CustomCaValidation.Validate(_pki.CaFile, certificate, errors & ~SslPolicyErrors.RemoteCertificateNameMismatch),
    };

    public async Task DisposeAsync()
    {
        await _gearmand.DisposeAsync();
        _pki.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
