using Narada.Gearman.Client;
using Narada.Gearman.Tls;
using Narada.Gearman.Transport;
using Narada.JobServer.Tests.Support;
using Narada.Testing;

namespace Narada.JobServer.Tests.Security;

/// <summary><c>narada certs</c> then <c>narada jobserver --tls-* --acl</c> as users run them, with the files they produce.</summary>
public sealed class SecureFleetCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("narada-fleet-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Certs_from_narada_certs_secure_a_narada_jobserver_with_an_acl()
    {
        var pki = Path.Combine(_dir, "pki");
        foreach (var args in new[]
        {
            new[] { "certs", "ca", "--out", pki },
            ["certs", "server", "--ca", pki, "--name", "jobserver.example", "--ip", "127.0.0.1"],
            ["certs", "agent", "--ca", pki, "--host", "web01"],
            ["certs", "controller", "--ca", pki],
        })
        {
            var run = await NaradaProcess.RunAsync(args);
            Assert.True(run.ExitCode == 0, run.ToString());
        }
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(pki, "web01.key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(pki, "ca.key")));
        var refused = await NaradaProcess.RunAsync("certs", "ca", "--out", pki);
        Assert.NotEqual(0, refused.ExitCode);
        var empty = Path.Combine(_dir, "no-ca");
        var noCa = await NaradaProcess.RunAsync("certs", "agent", "--ca", empty, "--host", "web02");
        Assert.Equal(1, noCa.ExitCode);
        Assert.Contains($"--ca {empty}: no ca.pem and ca.key there; create a CA with 'narada certs ca --out {empty}'", noCa.Stderr);
        var acl = Path.Combine(_dir, "acl.yaml");
        await File.WriteAllTextAsync(acl, SecuredJobServer.FleetAcl);

        int port = FreePort.Next();
        await using var jobServer = await NaradaProcess.StartAsync(port, "-q", "none",
            "--tls-cert", Path.Combine(pki, "jobserver.pem"), "--tls-key", Path.Combine(pki, "jobserver.key"),
            "--tls-client-ca", Path.Combine(pki, "ca.pem"), "--tls-require-client-cert", "--acl", acl);
        GearmanTlsOptions As(string name) => new()
        {
            CaFile = Path.Combine(pki, "ca.pem"), CertificateFile = Path.Combine(pki, name + ".pem"), KeyFile = Path.Combine(pki, name + ".key"),
            TargetHost = "jobserver.example",
        };
        var address = new ServerAddress("127.0.0.1", port);
        await using var agent = new GearmanClient(new GearmanClientOptions { Servers = [address], Tls = As("web01") });
        await using var controller = new GearmanClient(new GearmanClientOptions { Servers = [address], Tls = As("controller") });

        var denied = await Assert.ThrowsAsync<GearmanServerException>(async () =>
            await agent.SubmitBackgroundAsync("narada.apply@db01", "{}"u8.ToArray()));
        var deniedAgain = await Assert.ThrowsAsync<GearmanServerException>(async () =>
            await agent.SubmitBackgroundAsync("narada.check@db01", "{}"u8.ToArray()));
        var accepted = await controller.SubmitBackgroundAsync("narada.apply@db01", "{}"u8.ToArray());

        Assert.Equal("PERMISSION_DENIED", denied.Code);
        Assert.False(string.IsNullOrEmpty(accepted.Handle));
        Assert.Equal("PERMISSION_DENIED", deniedAgain.Code);
        await Retry.UntilAsync(() => jobServer.Process.Stdout.Contains("ACL denied web01"), "the denial to be logged");
        // Logged once per connection, however many denials follow on it.
        Assert.Single(jobServer.Process.Stdout.Split('\n'), l => l.Contains("ACL denied", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_broken_acl_file_stops_the_start_with_its_position()
    {
        var acl = Path.Combine(_dir, "acl.yaml");
        await File.WriteAllTextAsync(acl, "rules:\n  - identity: x\n    regster: [a]\n");
        var pki = Path.Combine(_dir, "pki");
        Assert.Equal(0, (await NaradaProcess.RunAsync("certs", "ca", "--out", pki)).ExitCode);
        Assert.Equal(0, (await NaradaProcess.RunAsync("certs", "server", "--ca", pki, "--ip", "127.0.0.1")).ExitCode);

        var run = await NaradaProcess.RunAsync("jobserver", "-p", FreePort.Next().ToString(), "-q", "none",
            "--tls-cert", Path.Combine(pki, "jobserver.pem"), "--tls-key", Path.Combine(pki, "jobserver.key"),
            "--tls-client-ca", Path.Combine(pki, "ca.pem"), "--acl", acl);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("acl.yaml:3:5: unknown key 'regster'", run.Stderr);
    }
}
