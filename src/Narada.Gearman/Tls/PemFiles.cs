using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Narada.Gearman.Tls;

/// <summary>Reads PEM certificates and keys with errors that name the file.</summary>
public static class PemFiles
{
    /// <summary>Every certificate in a PEM bundle; throws when there is none.</summary>
    public static X509Certificate2Collection LoadCertificates(string path)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPemFile(path);
        }
        catch (CryptographicException e)
        {
            throw new InvalidDataException($"'{path}' is not a PEM certificate file: {e.Message}", e);
        }
        return collection.Count > 0 ? collection : throw new InvalidDataException($"'{path}' holds no PEM certificate");
    }

    /// <summary>A certificate with its private key, from PEM files (the key may be in the certificate file).</summary>
    public static X509Certificate2 LoadCertificateWithKey(string certificatePath, string? keyPath)
    {
        try
        {
            using var ephemeral = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            // Ephemeral keys cannot be used by TLS on every platform; a PKCS#12 round trip gives a persisted-style key.
            return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), password: null);
        }
        catch (CryptographicException e)
        {
            throw new InvalidDataException(
                $"cannot load certificate '{certificatePath}' with key '{keyPath ?? certificatePath}': {e.Message}", e);
        }
    }
}
