using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Narada.Gearman.Tls;

/// <summary>Writes a certificate and its private key as PEM files; the key file is created owner-only (0600).</summary>
public static class CertificatePem
{
    /// <summary>Writes <paramref name="certificate"/> to <paramref name="certificateFile"/> and its key (PKCS#8) to <paramref name="keyFile"/>.</summary>
    public static void Write(X509Certificate2 certificate, string certificateFile, string keyFile)
    {
        using var key = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetRSAPrivateKey()
            ?? throw new ArgumentException("the certificate carries no private key", nameof(certificate));
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem() + "\n");
        WriteOwnerOnly(keyFile, key.ExportPkcs8PrivateKeyPem() + "\n");
    }

    private static void WriteOwnerOnly(string path, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
            writer.Write(text);
        // UnixCreateMode applies only to new files; an existing key file keeps its mode otherwise.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
