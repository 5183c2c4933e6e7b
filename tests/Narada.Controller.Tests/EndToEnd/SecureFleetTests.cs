using System.Net;
using Narada.Agent;
using Narada.Agent.Configuration;
using Narada.Gearman.Transport;
using Narada.JobServer;
using Narada.JobServer.Security;
using Narada.Testing;
using GearmanJobServer = Narada.JobServer.JobServer;

namespace Narada.Controller.Tests.EndToEnd;

/// <summary>
/// The whole flow over TLS with verified identities: controller and agent present certificates from the fleet CA to a
/// TLS-only Narada job server enforcing the fleet ACL; checks run, results and heartbeats arrive, and an agent
/// holding another host's certificate gets nothing.
/// </summary>
public sealed class SecureFleetTests : IAsyncLifetime
{
    private const string FleetAcl = """
        rules:
          - identity: controller
            submit: ["narada.*"]
            register: [narada.results]
            admin: [read, write]
          - identity: "*"
            register: ["narada.*@{cn}", "narada.*@tag:*"]
            submit: [narada.results]
            unique: ["*@{cn}"]
            admin: [read]
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("narada-secure-").FullName;
    private readonly TestPki _pki = TestPki.Create();
    private readonly CancellationTokenSource _stop = new();
    private GearmanJobServer _server = null!;
    private NaradaController _controller = null!;
    private readonly List<(NaradaAgent Agent, Task Run)> _agents = [];

    public async Task InitializeAsync()
    {
        _server = new GearmanJobServer(new JobServerOptions
        {
            ListenAddresses = [IPAddress.Loopback],
            Port = FreePort.Next(),
            Tls = new TlsServerOptions
            {
                CertificateFile = _pki.ServerCertificateFile,
                KeyFile = _pki.ServerKeyFile,
                ClientCaFile = _pki.CaFile,
                RequireClientCertificate = true,
            },
            Acl = AclPolicyReader.Parse(FleetAcl),
        });
        await _server.StartAsync();
        var servers = new[] { new ServerAddress("127.0.0.1", _server.Endpoint.Port) };
        var config = Directory.CreateDirectory(Path.Combine(_dir, "config")).FullName;
        File.WriteAllText(Path.Combine(config, "checks.yaml"), """
            kind: Check
            name: dummy
            plugin: nagios.check_dummy
            params: { state: "0", text: "over tls" }
            every: 1s
            targets: { tags: [secure] }
            """);
        _controller = new NaradaController(new ControllerOptions
        {
            ConfigDirectory = config,
            DataDirectory = Path.Combine(_dir, "data"),
            Servers = servers,
            HttpListen = null,
            MaxSplay = TimeSpan.FromMilliseconds(100),
            Tls = _pki.ClientTls("controller"),
        });
        await _controller.StartAsync();
        // web02's agent claims to be web01: the job server refuses its registrations, so it never serves web01's jobs.
        foreach (var (name, certificate) in new[] { ("web01", "web01"), ("web01-impostor", "web02") })
        {
            var agent = new NaradaAgent(new AgentConfig
            {
                Name = name == "web01-impostor" ? "web01" : name,
                Tags = ["secure"],
                Servers = servers,
                PluginDirs = [RepoPaths.Plugins],
                HeartbeatInterval = TimeSpan.FromMilliseconds(500),
                Tls = _pki.ClientTls(certificate),
            });
            _agents.Add((agent, agent.RunAsync(_stop.Token)));
        }
    }

    [Fact]
    public async Task Checks_run_end_to_end_over_tls_and_only_the_right_certificate_serves_a_host()
    {
        await Retry.UntilAsync(() => _controller.Checks.TryGet("dummy", "web01", out var e) && e.State.Output == "OK: over tls",
            "a check result over TLS", TimeSpan.FromSeconds(30));
        await using var admin = await Narada.Gearman.Admin.GearmanAdminClient.ConnectAsync(
            new ServerAddress("127.0.0.1", _server.Endpoint.Port), tls: _pki.ClientTls("controller"));
        var workers = await admin.GetWorkersAsync();
        var web01 = workers.Where(w => w.Functions.Contains("narada.check@web01")).ToArray();
        Assert.Single(web01); // the impostor's CAN_DO was denied
    }

    [Fact]
    public async Task A_certificate_can_report_only_about_its_own_host()
    {
        var server = new ServerAddress("127.0.0.1", _server.Endpoint.Port);
        await using var web02 = new Narada.Gearman.Client.GearmanClient(new Narada.Gearman.Client.GearmanClientOptions
        {
            Servers = [server],
            Tls = _pki.ClientTls("web02"),
        });
        byte[] Passive(string host, string name) => System.Text.Encoding.UTF8.GetBytes(
            $$"""{"v":1,"type":"passive","host":"{{host}}","name":"{{name}}","status":2,"output":"forged?"}""");

        // A unique naming another host is refused by the job server's ACL (unique: *@{cn})...
        var denied = await Assert.ThrowsAsync<Narada.Gearman.Client.GearmanServerException>(async () =>
            await web02.SubmitBackgroundAsync("narada.results", Passive("web01", "forged"), new() { Unique = "x@web01" }));
        Assert.Equal("PERMISSION_DENIED", denied.Code);
        // ...and a message about another host under web02's own unique is refused by the controller.
        await web02.SubmitBackgroundAsync("narada.results", Passive("web01", "forged"), new() { Unique = "y@web02" });
        await web02.SubmitBackgroundAsync("narada.results", Passive("web02", "own"), new() { Unique = "z@web02" });

        await Retry.UntilAsync(() => _controller.Checks.TryGet("own", "web02", out _), "web02's report about itself");
        Assert.False(_controller.Checks.TryGet("forged", "web01", out _), "web02 reported about web01");
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var (agent, run) in _agents)
        {
            await run;
            await agent.DisposeAsync();
        }
        await _controller.DisposeAsync();
        await _server.DisposeAsync();
        _pki.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
