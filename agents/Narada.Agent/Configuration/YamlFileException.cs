namespace Narada.Agent.Configuration;

/// <summary>A YAML file that cannot be used, with the position and key path of the offending node.</summary>
public sealed class YamlFileException(SourcePosition position, string keyPath, string reason)
    : Exception(keyPath.Length == 0 ? $"{position}: {reason}" : $"{position}: {keyPath}: {reason}")
{
    public SourcePosition Position { get; } = position;

    /// <summary>Dotted path of the key, e.g. <c>commands.check_disk.params.warning</c>; empty for the whole file.</summary>
    public string KeyPath { get; } = keyPath;

    /// <summary>The problem alone, without position or key path.</summary>
    public string Reason { get; } = reason;
}
