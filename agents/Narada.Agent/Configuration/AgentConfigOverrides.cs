using Narada.Gearman.Tls;
using Narada.Gearman.Transport;

namespace Narada.Agent.Configuration;

/// <summary>Command-line values (<c>--server</c>, <c>--name</c>) that win over the file.</summary>
public sealed record AgentConfigOverrides
{
    /// <summary>Replaces the file's whole server list when not empty.</summary>
    public IReadOnlyList<ServerAddress> Servers { get; init; } = [];

    public string? Name { get; init; }

    /// <summary><c>--tls-ca</c>: CA file the job server certificate must chain to (turns TLS on).</summary>
    public string? TlsCa { get; init; }

    /// <summary><c>--tls-cert</c>: this agent's certificate (its CN is the identity the ACL checks).</summary>
    public string? TlsCertificate { get; init; }

    /// <summary><c>--tls-key</c>: the key of <see cref="TlsCertificate"/>.</summary>
    public string? TlsKey { get; init; }

    /// <summary>Applies the <c>--tls-*</c> values over the file's TLS section (turning TLS on if the file had none).</summary>
    public GearmanTlsOptions? ApplyTls(GearmanTlsOptions? fromFile)
    {
        if (TlsCa is null && TlsCertificate is null && TlsKey is null)
            return fromFile;
        var tls = (fromFile ?? new GearmanTlsOptions()) with { Enabled = true };
        tls = tls with
        {
            CaFile = TlsCa ?? tls.CaFile,
            CertificateFile = TlsCertificate ?? tls.CertificateFile,
            KeyFile = TlsKey ?? tls.KeyFile,
        };
        tls.Validate();
        return tls;
    }
}
