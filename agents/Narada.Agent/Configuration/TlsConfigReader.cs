using Narada.Gearman.Tls;

namespace Narada.Agent.Configuration;

/// <summary>
/// The <c>tls:</c> section of an agent config: <c>ca</c>, <c>cert</c>, <c>key</c>, <c>server_name</c>, <c>enabled</c>.
/// Relative paths are relative to the config file; command-line <c>--tls-*</c> values win.
/// </summary>
internal static class TlsConfigReader
{
    public static GearmanTlsOptions Read(YamlCursor cursor, string baseDirectory)
    {
        var keys = cursor.Mapping("enabled", "ca", "cert", "key", "server_name");
        var tls = new GearmanTlsOptions();
        if (keys.TryGetValue("enabled", out var enabled))
            tls = tls with { Enabled = enabled.Bool() };
        if (keys.TryGetValue("ca", out var ca))
            tls = tls with { CaFile = ExistingFile(ca, baseDirectory) };
        if (keys.TryGetValue("cert", out var cert))
            tls = tls with { CertificateFile = ExistingFile(cert, baseDirectory) };
        if (keys.TryGetValue("key", out var key))
            tls = tls with { KeyFile = ExistingFile(key, baseDirectory) };
        if (keys.TryGetValue("server_name", out var serverName))
            tls = tls with { TargetHost = serverName.RequiredText() };
        if (tls.KeyFile is not null && tls.CertificateFile is null)
            throw cursor.Error("'key' needs 'cert' (the certificate the key belongs to)");
        return tls;
    }

    private static string ExistingFile(YamlCursor cursor, string baseDirectory)
    {
        var path = Path.GetFullPath(cursor.RequiredText(), baseDirectory);
        return File.Exists(path) ? path : throw cursor.Error($"'{path}' does not exist");
    }
}
