using System.CommandLine;
using System.Net;
using Narada.Gearman.Tls;

namespace Narada.Cli.Commands;

/// <summary>
/// <c>narada certs ca|server|agent|controller</c>: a private CA and the certificates a fleet needs, as PEM files with
/// owner-only keys. The agent certificate's CN is its host name: that is the identity the job server's ACL checks.
/// </summary>
internal static class CertsCommand
{
    private const string CaCertificate = "ca.pem";
    private const string CaKey = "ca.key";

    public static Command Create()
    {
        var command = new Command("certs", "Create a CA and job server, agent and controller certificates (PEM).\n\nExample:\n" +
            "  narada certs ca --out pki\n  narada certs server --ca pki --name jobserver.example --ip 127.0.0.1\n" +
            "  narada certs agent --ca pki --host web01\n  narada certs controller --ca pki");
        command.Subcommands.Add(CreateCa());
        command.Subcommands.Add(CreateServer());
        command.Subcommands.Add(CreateClient("agent", "An agent certificate: CN and DNS SAN = the host name.", "host", required: true));
        command.Subcommands.Add(CreateClient("controller", "The controller's certificate (CN=controller unless --name).", "name", required: false));
        return command;
    }

    private static Command CreateCa()
    {
        var output = new Option<string>("--out") { Description = "Directory for ca.pem and ca.key.", Required = true };
        var name = new Option<string>("--name") { Description = "CA common name.", DefaultValueFactory = _ => "Narada CA" };
        var days = Days(3650);
        var command = new Command("ca", "Create a CA: DIR/ca.pem (distribute) and DIR/ca.key (keep secret).") { output, name, days };
        command.SetAction(parse => Run("ca", () =>
        {
            var dir = parse.GetValue(output)!;
            Directory.CreateDirectory(dir);
            var certificate = Path.Combine(dir, CaCertificate);
            if (File.Exists(certificate))
                throw new IOException($"{certificate} already exists; refusing to replace a CA");
            using var ca = CertificateAuthority.Create(parse.GetValue(name)!, TimeSpan.FromDays(parse.GetValue(days)));
            CertificatePem.Write(ca.Certificate, certificate, Path.Combine(dir, CaKey));
            return [certificate, Path.Combine(dir, CaKey)];
        }));
        return command;
    }

    private static Command CreateServer()
    {
        var caDir = CaOption();
        var names = new Option<string[]>("--name") { Description = "DNS name of the job server (repeatable).", AllowMultipleArgumentsPerToken = false };
        var ips = new Option<string[]>("--ip") { Description = "IP address of the job server (repeatable)." };
        var output = OutOption();
        var days = Days(825);
        var command = new Command("server", "Create the job server certificate: DIR/jobserver.pem and .key.") { caDir, names, ips, output, days };
        command.SetAction(parse => Run("server", () =>
        {
            var addresses = (parse.GetValue(ips) ?? []).Select(ParseAddress).ToArray();
            var dnsNames = parse.GetValue(names) ?? [];
            using var ca = LoadCa(parse.GetValue(caDir)!);
            using var certificate = ca.IssueServer(dnsNames, addresses, TimeSpan.FromDays(parse.GetValue(days)));
            return Write(certificate, parse.GetValue(output) ?? parse.GetValue(caDir)!, "jobserver");
        }));
        return command;
    }

    private static Command CreateClient(string kind, string description, string nameOption, bool required)
    {
        var caDir = CaOption();
        var name = new Option<string>("--" + nameOption) { Description = "Certificate name (CN and DNS SAN).", Required = required };
        var output = OutOption();
        var days = Days(825);
        var command = new Command(kind, description + $" Writes DIR/<name>.pem and .key.") { caDir, name, output, days };
        command.SetAction(parse => Run(kind, () =>
        {
            var commonName = parse.GetValue(name) ?? kind;
            using var ca = LoadCa(parse.GetValue(caDir)!);
            using var certificate = ca.IssueClient(commonName, notAfter: DateTimeOffset.UtcNow.AddDays(parse.GetValue(days)));
            return Write(certificate, parse.GetValue(output) ?? parse.GetValue(caDir)!, commonName);
        }));
        return command;
    }

    private static Option<string> CaOption() => new("--ca") { Description = "Directory holding ca.pem and ca.key.", Required = true };

    private static Option<string?> OutOption() => new("--out") { Description = "Output directory (default: the CA directory)." };

    private static Option<int> Days(int defaultDays) =>
        new("--days") { Description = "Validity in days.", DefaultValueFactory = _ => defaultDays };

    private static CertificateAuthority LoadCa(string dir)
    {
        string certificate = Path.Combine(dir, CaCertificate), key = Path.Combine(dir, CaKey);
        if (!File.Exists(certificate) || !File.Exists(key))
            throw new FileNotFoundException($"--ca {dir}: no {CaCertificate} and {CaKey} there; create a CA with 'narada certs ca --out {dir}'");
        return CertificateAuthority.Load(certificate, key);
    }

    private static IPAddress ParseAddress(string text) =>
        IPAddress.TryParse(text, out var address) ? address : throw new ArgumentException($"--ip {text}: not an IP address");

    private static string[] Write(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, string dir, string stem)
    {
        Directory.CreateDirectory(dir);
        var files = new[] { Path.Combine(dir, stem + ".pem"), Path.Combine(dir, stem + ".key") };
        CertificatePem.Write(certificate, files[0], files[1]);
        return files;
    }

    private static int Run(string verb, Func<string[]> action)
    {
        try
        {
            foreach (var file in action())
                Console.Out.WriteLine($"wrote {file}");
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidDataException
            or System.Security.Cryptography.CryptographicException)
        {
            Console.Error.WriteLine($"narada certs {verb}: {e.Message}");
            return 1;
        }
    }
}
