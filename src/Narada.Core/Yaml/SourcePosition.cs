namespace Narada.Core.Yaml;

/// <summary>
/// A place in a YAML file (1-based line and column) that an error message points at; line 0 means the file as a whole
/// (it cannot be read), and prints as the file name alone.
/// </summary>
public readonly record struct SourcePosition(string File, int Line, int Column)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}" : File;
}
