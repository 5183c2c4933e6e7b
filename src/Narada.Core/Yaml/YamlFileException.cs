namespace Narada.Core.Yaml;

/// <summary>A YAML file that cannot be used as written: every error found in it, each with its position.</summary>
public sealed class YamlFileException(IReadOnlyList<YamlError> errors)
    : Exception(string.Join("\n", errors))
{
    public IReadOnlyList<YamlError> Errors { get; } = errors.Count > 0 ? errors : throw new ArgumentException("no errors", nameof(errors));

    /// <summary>The first error (in file order): where an editor should jump.</summary>
    public YamlError First => Errors[0];
}
