using Narada.Agent.Manifests;

namespace Narada.Agent.Tests.Manifests;

/// <summary>The repository's own plugins/ directory, loaded once, as the agent would load it.</summary>
internal static class RepoPlugins
{
    public static string Directory { get; } = Find();

    public static ManifestCatalog Catalog { get; } = ManifestCatalog.Load([Directory]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Narada.sln")))
                return Path.Combine(dir.FullName, "plugins");
        }
        throw new InvalidOperationException($"no Narada.sln above {AppContext.BaseDirectory}");
    }
}
