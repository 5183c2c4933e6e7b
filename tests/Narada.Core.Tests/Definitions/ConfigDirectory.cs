using Narada.Core.Definitions;
using Narada.Core.Yaml;

namespace Narada.Core.Tests.Definitions;

/// <summary>A throwaway config directory on disk with the files a test writes into it.</summary>
internal sealed class ConfigDirectory : IDisposable
{
    public ConfigDirectory() => Path = Directory.CreateTempSubdirectory("narada-config-").FullName;

    public string Path { get; }

    public string Write(string relativePath, string text)
    {
        var full = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text.ReplaceLineEndings("\n"));
        return full;
    }

    public LoadResult Load() => DefinitionLoader.Load(Path);

    /// <summary>Loads a single file's YAML and returns its errors (asserting that there are some).</summary>
    public static IReadOnlyList<YamlError> ErrorsOf(string yaml, params (string Path, string Text)[] extraFiles)
    {
        using var config = new ConfigDirectory();
        config.Write("defs.yaml", yaml);
        foreach (var (path, text) in extraFiles)
        {
            config.Write(path, text);
        }

        var result = config.Load();
        Assert.Null(result.Set);
        Assert.NotEmpty(result.Errors);
        return result.Errors;
    }

    /// <summary>Loads YAML that must be valid and returns the set.</summary>
    public static DefinitionSet SetOf(string yaml, params (string Path, string Text)[] extraFiles)
    {
        using var config = new ConfigDirectory();
        config.Write("defs.yaml", yaml);
        foreach (var (path, text) in extraFiles)
        {
            config.Write(path, text);
        }

        var result = config.Load();
        Assert.True(result.Errors.Count == 0, string.Join("\n", result.Errors));
        return result.Set!;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless; failing the test over it is not.
        }
    }
}
