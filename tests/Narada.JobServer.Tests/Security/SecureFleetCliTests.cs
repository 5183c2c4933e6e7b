using Narada.Gearman.Client;
using Narada.Gearman.Tls;
using Narada.Gearman.Transport;
using Narada.JobServer.Tests.Support;
using Narada.Testing;

namespace Narada.JobServer.Tests.Security;

/// <summary><c>narada certs</c> then <c>narada jobserver --tls-* --acl</c> as users run them, with the files they produce.</summary>
[Trait("Category", "Peers")]
public sealed class SecureFleetCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("narada-fleet-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Certs_from_narada_certs_secure_a_narada_jobserver_with_an_acl()
    {
        var pki = await CreatePkiAsync(["agent", "--host", "web01"], ["controller"]);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(pki, "web01.key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(pki, "ca.key")));
        var refused = await NaradaProcess.RunAsync("certs", "ca", "--out", pki);
        Assert.NotEqual(0, refused.ExitCode);
        var empty = Path.Combine(_dir, "no-ca");
        var noCa = await NaradaProcess.RunAsync("certs", "agent", "--ca", empty, "--host", "web02");
        Assert.Equal(1, noCa.ExitCode);
        Assert.Contains($"--ca {empty}: no ca.pem and ca.key there; create a CA with 'narada certs ca --out {empty}'", noCa.Stderr);
        int port = FreePort.Next();
        await using var jobServer = await StartSecuredAsync(port, pki);
        GearmanTlsOptions As(string name) => new()
        {
            CaFile = Path.Combine(pki, "ca.pem"),
            CertificateFile = Path.Combine(pki, name + ".pem"),
            KeyFile = Path.Combine(pki, name + ".key"),
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
        Assert.Contains("acl.yaml:3:5: rules[0].regster: unknown key", run.Stderr);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task SIGHUP_takes_an_edited_acl_and_a_rotated_certificate_without_dropping_connections()
    {
        var pki = await CreatePkiAsync(["agent", "--host", "web01"]);
        var acl = Path.Combine(_dir, "acl.yaml");
        int port = FreePort.Next();
        await using var jobServer = await StartSecuredAsync(port, pki);
        await using var web01 = new GearmanClient(new GearmanClientOptions
        {
            Servers = [new ServerAddress("127.0.0.1", port)],
            Tls = new GearmanTlsOptions
            {
                CaFile = Path.Combine(pki, "ca.pem"),
                CertificateFile = Path.Combine(pki, "web01.pem"),
                KeyFile = Path.Combine(pki, "web01.key"),
                TargetHost = "jobserver.example",
            },
        });
        Task<ProcessResult> HangUpAsync() => ExternalProcess.RunAsync(RequiredTool.Path("kill", "procps"), ["-HUP", jobServer.Process.Id.ToString()]);
        var denied = await Assert.ThrowsAsync<GearmanServerException>(() => web01.SubmitBackgroundAsync("deploy", "x"u8.ToArray()).AsTask());
        Assert.Equal("PERMISSION_DENIED", denied.Code);

        // The edit grants web01 the function; its open connection is judged by the new ACL at its next request.
        await File.WriteAllTextAsync(acl, SecuredJobServer.FleetAcl + "\n  - identity: web01\n    submit: [deploy]\n");
        Assert.Equal(0, (await HangUpAsync()).ExitCode);
        await Retry.UntilAsync(() => jobServer.Process.Stdout.Contains("security reloaded: TLS, ACL of 3 rules", StringComparison.Ordinal),
            "the reload to be logged");
        Assert.False(string.IsNullOrEmpty((await web01.SubmitBackgroundAsync("deploy", "x"u8.ToArray())).Handle));

        // A broken edit is refused with its position, and the ACL in force stays.
        await File.WriteAllTextAsync(acl, "rules:\n  - identity: web01\n    submitt: [deploy]\n");
        Assert.Equal(0, (await HangUpAsync()).ExitCode);
        await Retry.UntilAsync(() => jobServer.Process.Stdout.Contains("TLS and ACL not reloaded", StringComparison.Ordinal),
            "the refused reload to be logged");
        Assert.Contains("acl.yaml:3:5: rules[0].submitt: unknown key", jobServer.Process.Stdout);
        Assert.False(string.IsNullOrEmpty((await web01.SubmitBackgroundAsync("deploy", "x"u8.ToArray())).Handle));

        // A rotated certificate: new connections are served with the new one.
        await File.WriteAllTextAsync(acl, SecuredJobServer.FleetAcl);
        var next = Path.Combine(_dir, "next");
        Assert.Equal(0, (await NaradaProcess.RunAsync("certs", "server", "--ca", pki, "--name", "jobserver.example", "--ip", "127.0.0.1",
            "--out", next)).ExitCode);
        var before = await ServerCertificateAsync(port);
        File.Copy(Path.Combine(next, "jobserver.pem"), Path.Combine(pki, "jobserver.pem"), overwrite: true);
        File.Copy(Path.Combine(next, "jobserver.key"), Path.Combine(pki, "jobserver.key"), overwrite: true);
        Assert.Equal(0, (await HangUpAsync()).ExitCode);
        await Retry.UntilAsync(() => Occurrences(jobServer.Process.Stdout, "security reloaded") == 2, "the second reload");
        var after = await ServerCertificateAsync(port);
        using var issued = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(Path.Combine(next, "jobserver.pem"));
        Assert.NotEqual(before, after);
        Assert.Equal(issued.Thumbprint, after);
        // web01's connection from before the rotation still works, now under the original ACL again.
        var deniedAgain = await Assert.ThrowsAsync<GearmanServerException>(() => web01.SubmitBackgroundAsync("deploy", "x"u8.ToArray()).AsTask());
        Assert.Equal("PERMISSION_DENIED", deniedAgain.Code);
    }

    /// <summary><c>narada certs</c> as a user runs it: a CA in DIR/pki, the job server's certificate for
    /// jobserver.example and 127.0.0.1, then each of <paramref name="clients"/> (the words after <c>certs</c>).</summary>
    private async Task<string> CreatePkiAsync(params string[][] clients)
    {
        var pki = Path.Combine(_dir, "pki");
        string[][] commands = [["ca", "--out", pki], ["server", "--ca", pki, "--name", "jobserver.example", "--ip", "127.0.0.1"],
            .. clients.Select(c => (string[])[c[0], "--ca", pki, .. c[1..]])];
        foreach (var command in commands)
        {
            var run = await NaradaProcess.RunAsync(["certs", .. command]);
            Assert.True(run.ExitCode == 0, run.ToString());
        }
        return pki;
    }

    /// <summary><c>narada jobserver</c> with TLS from <paramref name="pki"/>, client certificates required, and the fleet
    /// ACL written to DIR/acl.yaml.</summary>
    private async Task<NaradaProcess> StartSecuredAsync(int port, string pki)
    {
        var acl = Path.Combine(_dir, "acl.yaml");
        await File.WriteAllTextAsync(acl, SecuredJobServer.FleetAcl);
        return await NaradaProcess.StartAsync(port, "-q", "none",
            "--tls-cert", Path.Combine(pki, "jobserver.pem"), "--tls-key", Path.Combine(pki, "jobserver.key"),
            "--tls-client-ca", Path.Combine(pki, "ca.pem"), "--tls-require-client-cert", "--acl", acl);
    }

    private static int Occurrences(string text, string what) =>
        (text.Length - text.Replace(what, "", StringComparison.Ordinal).Length) / what.Length;

    /// <summary>The thumbprint of the certificate the server presents to a new TLS connection.</summary>
    private static async Task<string> ServerCertificateAsync(int port)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        string? thumbprint = null;
        await using var ssl = new System.Net.Security.SslStream(tcp.GetStream(), false, (_, certificate, _, _) =>
        {
            thumbprint = certificate is null ? null : new System.Security.Cryptography.X509Certificates.X509Certificate2(certificate).Thumbprint;
            return true;
        });
        try
        {
            await ssl.AuthenticateAsClientAsync("jobserver.example");
        }
        catch (Exception e) when (e is System.Security.Authentication.AuthenticationException or IOException)
        {
            // the server wants a client certificate this probe does not have; its own was seen first
        }
        return thumbprint ?? throw new InvalidOperationException("no server certificate seen");
    }
}
