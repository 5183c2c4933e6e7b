using System.CommandLine;
using Narada.Gearman.Tls;

namespace Narada.Cli.Commands;

/// <summary>
/// The <c>--tls-ca --tls-cert --tls-key</c> trio every verb that connects to job servers takes; giving any of them
/// turns TLS on. One definition so the verbs agree on names and on when TLS is on.
/// </summary>
internal sealed class TlsClientOptions(string who = "a client certificate to present")
{
    public Option<string?> Ca { get; } = new("--tls-ca") { Description = "TLS: the CA the job server's certificate chains to (PEM)." };

    public Option<string?> Certificate { get; } = new("--tls-cert") { Description = $"TLS: {who} (PEM)." };

    public Option<string?> Key { get; } = new("--tls-key") { Description = "TLS: the certificate's private key (PEM)." };

    public void AddTo(Command command)
    {
        command.Options.Add(Ca);
        command.Options.Add(Certificate);
        command.Options.Add(Key);
    }

    /// <summary>The TLS settings when any of the options was given, else null (plain TCP).</summary>
    public GearmanTlsOptions? Resolve(ParseResult parse)
    {
        string? ca = parse.GetValue(Ca), certificate = parse.GetValue(Certificate), key = parse.GetValue(Key);
        return ca is null && certificate is null && key is null
            ? null
            : new GearmanTlsOptions { CaFile = ca, CertificateFile = certificate, KeyFile = key };
    }
}
