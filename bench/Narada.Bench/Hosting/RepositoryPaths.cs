namespace Narada.Bench.Hosting;

/// <summary>Finds the repository the benchmark runs from, so it works from any working directory.</summary>
public static class RepositoryPaths
{
    /// <summary>The directory holding Narada.sln, searched upward from the working directory and then from the binary.</summary>
    public static string Root { get; } = Find();

    public static string Peer(string file) => Path.Combine(Root, "bench", "peers", file);

    public static string Results => Path.Combine(Root, "bench", "RESULTS.md");

    private static string Find()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Narada.sln")))
                    return dir.FullName;
            }
        }
        throw new InvalidOperationException("cannot find the repository (Narada.sln) above the working directory");
    }
}
