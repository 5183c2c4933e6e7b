namespace Narada.JobServer.Security;

/// <summary>TLS on the job server's port: its certificate, and how client certificates are asked for and verified.</summary>
public sealed record TlsServerOptions
{
    /// <summary>PEM certificate of the job server.</summary>
    public required string CertificateFile { get; init; }

    /// <summary>PEM private key of <see cref="CertificateFile"/>; null when the key is in the certificate file.</summary>
    public string? KeyFile { get; init; }

    /// <summary>PEM CA certificate(s) client certificates must chain to; null asks for no client certificate.</summary>
    public string? ClientCaFile { get; init; }

    /// <summary>Refuse the handshake of a client without a valid certificate; otherwise it connects as anonymous.</summary>
    public bool RequireClientCertificate { get; init; }

    /// <summary>How long a new connection may take to finish the handshake before it is dropped.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public void Validate()
    {
        foreach (var (file, name) in new[] { (CertificateFile, "certificate"), (KeyFile, "key"), (ClientCaFile, "client CA") })
            if (file is not null && !File.Exists(file))
                throw new FileNotFoundException($"TLS {name} file '{file}' does not exist", file);
        if (RequireClientCertificate && ClientCaFile is null)
            throw new ArgumentException("requiring client certificates needs a client CA file to verify them against");
    }
}
