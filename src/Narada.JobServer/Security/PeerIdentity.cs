using System.Security.Cryptography.X509Certificates;

namespace Narada.JobServer.Security;

/// <summary>Who is on the other end of a connection: the names of its verified client certificate, or nobody.</summary>
public sealed record PeerIdentity
{
    private PeerIdentity(string? commonName, IReadOnlyList<string> names)
    {
        CommonName = commonName;
        Names = names;
    }

    /// <summary>A connection without a (verified) client certificate.</summary>
    public static PeerIdentity Anonymous { get; } = new(null, []);

    /// <summary>The certificate's subject CN; null for anonymous.</summary>
    public string? CommonName { get; }

    /// <summary>CN first, then every SAN DNS name, without duplicates; empty for anonymous.</summary>
    public IReadOnlyList<string> Names { get; }

    public bool IsAnonymous => Names.Count == 0;

    /// <summary>An identity named by CN and SAN DNS names.</summary>
    public static PeerIdentity Named(string? commonName, params IEnumerable<string> dnsNames)
    {
        var names = new List<string>();
        foreach (var name in (commonName is null ? dnsNames : dnsNames.Prepend(commonName)))
            if (!string.IsNullOrEmpty(name) && !names.Contains(name, StringComparer.Ordinal))
                names.Add(name);
        return names.Count == 0 ? Anonymous : new PeerIdentity(commonName ?? names[0], names);
    }

    /// <summary>The identity a verified client certificate proves.</summary>
    public static PeerIdentity FromCertificate(X509Certificate2 certificate)
    {
        var commonName = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        var dnsNames = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>()
            .SelectMany(san => san.EnumerateDnsNames());
        return Named(string.IsNullOrEmpty(commonName) ? null : commonName, dnsNames);
    }

    public override string ToString() => IsAnonymous ? "anonymous" : CommonName!;
}
