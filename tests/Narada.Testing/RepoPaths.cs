namespace Narada.Testing;

/// <summary>Paths inside the checkout the tests run from (found by walking up to Narada.sln).</summary>
public static class RepoPaths
{
    public static string Root { get; } = Find();

    public static string Plugins => Path.Combine(Root, "plugins");
    public static string Config => Path.Combine(Root, "config");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Narada.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"no Narada.sln above {AppContext.BaseDirectory}");
    }
}
