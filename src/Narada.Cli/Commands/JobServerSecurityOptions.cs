using System.CommandLine;
using Narada.JobServer;
using Narada.JobServer.Security;

namespace Narada.Cli.Commands;

/// <summary>
/// <c>narada jobserver --tls-cert --tls-key --tls-client-ca --tls-require-client-cert --acl</c>, and gearmand's names for
/// the first three (<c>--ssl-certificate --ssl-key --ssl-ca-file</c>) with its <c>--ssl</c> switch, so gearmand's TLS
/// command line works as it is.
/// </summary>
internal sealed class JobServerSecurityOptions
{
    private readonly Option<string?> _cert = new("--tls-cert", "--ssl-certificate") { Description = "TLS: the job server's certificate (PEM). Turns TLS on." };
    private readonly Option<string?> _key = new("--tls-key", "--ssl-key") { Description = "TLS: the certificate's private key (PEM)." };
    private readonly Option<string?> _clientCa = new("--tls-client-ca", "--ssl-ca-file") { Description = "TLS: CA that client certificates must chain to (asks clients for one)." };
    private readonly Option<bool> _require = new("--tls-require-client-cert") { Description = "TLS: refuse clients without a valid certificate." };
    private readonly Option<bool> _ssl = new("--ssl") { Description = "gearmand's TLS switch: TLS is on whenever a certificate is given, so this only insists on one." };
    private readonly Option<string?> _acl = new("--acl") { Description = "ACL file (YAML): which certificate names may register, submit and administer what." };

    public IEnumerable<Option> All => [_cert, _key, _clientCa, _require, _ssl, _acl];

    /// <summary>The options with TLS and ACL filled in, or an error message for the user.</summary>
    public (JobServerOptions? Options, string? Error) Apply(ParseResult parse, JobServerOptions options)
    {
        try
        {
            var cert = parse.GetValue(_cert);
            if (cert is null && parse.GetValue(_ssl))
                return (null, "--ssl needs a certificate: --ssl-certificate (or --tls-cert) and its --ssl-key");
            if (cert is null && (parse.GetValue(_key) is not null || parse.GetValue(_clientCa) is not null || parse.GetValue(_require)))
                return (null, "--tls-key, --tls-client-ca and --tls-require-client-cert need --tls-cert");
            if (cert is not null)
            {
                var tls = new TlsServerOptions
                {
                    CertificateFile = cert,
                    KeyFile = parse.GetValue(_key),
                    ClientCaFile = parse.GetValue(_clientCa),
                    RequireClientCertificate = parse.GetValue(_require),
                };
                tls.Validate();
                options = options with { Tls = tls };
            }
            if (parse.GetValue(_acl) is { } aclFile)
            {
                if (options.Tls?.ClientCaFile is null)
                    return (null, "--acl needs --tls-cert and --tls-client-ca: identities come from verified client certificates");
                options = options with { Acl = AclPolicy.Load(aclFile) };
            }
            return (options, null);
        }
        catch (Exception e) when (e is AclPolicyException or IOException or ArgumentException)
        {
            return (null, e.Message);
        }
    }
}
