namespace Narada.Gearman.Tls;

/// <summary>TLS for a Gearman connection: which CA to trust, which certificate to present, which name to expect.</summary>
public sealed record GearmanTlsOptions
{
    /// <summary>False sends plain TCP even though the record is set (lets configuration switch TLS off in one place).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>PEM file of the CA certificate(s) the server's certificate must chain to; null trusts the system store.</summary>
    public string? CaFile { get; init; }

    /// <summary>PEM certificate presented to the server (client authentication); null presents none.</summary>
    public string? CertificateFile { get; init; }

    /// <summary>PEM private key of <see cref="CertificateFile"/>; null when the key is in the certificate file.</summary>
    public string? KeyFile { get; init; }

    /// <summary>Name the server's certificate must carry; null uses the host of the server address.</summary>
    public string? TargetHost { get; init; }

    /// <summary>Accepts any server certificate. Encrypts but authenticates nothing: for experiments only.</summary>
    public bool AllowUntrusted { get; init; }

    /// <summary>TLS with the system trust store and no client certificate.</summary>
    public static GearmanTlsOptions Default { get; } = new();

    /// <summary>Throws a clear error when a named file is missing, before any connection is attempted.</summary>
    public void Validate()
    {
        if (!Enabled)
            return;
        RequireFile(CaFile, nameof(CaFile));
        RequireFile(CertificateFile, nameof(CertificateFile));
        RequireFile(KeyFile, nameof(KeyFile));
        if (KeyFile is not null && CertificateFile is null)
            throw new ArgumentException("a TLS key file was given without a certificate file", nameof(KeyFile));
    }

    private static void RequireFile(string? path, string name)
    {
        if (path is not null && !File.Exists(path))
            throw new FileNotFoundException($"TLS {name}: file '{path}' does not exist", path);
    }
}
