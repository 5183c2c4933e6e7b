using Narada.Core.Yaml;
using Narada.Gearman.Tls;

namespace Narada.Agent.Configuration;

/// <summary>
/// The <c>tls:</c> section of an agent config: <c>ca</c>, <c>cert</c>, <c>key</c>, <c>server_name</c>, <c>enabled</c>.
/// Relative paths are relative to the config file; command-line <c>--tls-*</c> values win.
/// </summary>
internal static class TlsConfigReader
{
    public static GearmanTlsOptions Read(MappingReader reader, string baseDirectory)
    {
        var tls = new GearmanTlsOptions
        {
            Enabled = reader.Boolean("enabled") ?? true,
            CaFile = ExistingFile(reader, "ca", baseDirectory),
            CertificateFile = ExistingFile(reader, "cert", baseDirectory),
            KeyFile = ExistingFile(reader, "key", baseDirectory),
        };
        if (reader.String("server_name") is { } serverName)
            tls = tls with { TargetHost = serverName };
        if (tls.KeyFile is not null && reader.Value("cert") is null)
            reader.Context.Error(reader.KeyNode("key")!, reader.PathOf("key"), "'key' needs 'cert' (the certificate the key belongs to)");
        reader.RejectUnknownKeys("tls");
        return tls;
    }

    private static string? ExistingFile(MappingReader reader, string key, string baseDirectory)
    {
        if (reader.Value(key) is not { } node || reader.Scalar(node, reader.PathOf(key)) is not { } text)
            return null;
        var path = Path.GetFullPath(text, baseDirectory);
        if (File.Exists(path))
            return path;
        reader.Context.Error(node, reader.PathOf(key), $"'{path}' does not exist");
        return null;
    }
}
