namespace Narada.Bench.Fleet;

/// <summary>Where the benchmarks find the checkout and the two agent builds they compare.</summary>
internal static class RepoLayout
{
    public static string Root { get; } = FindRoot();

    public static string Plugins => Path.Combine(Root, "plugins");

    public static string Results => Path.Combine(Root, "bench", "RESULTS.md");

    /// <summary>The NativeAOT agent that scripts/publish-agent writes.</summary>
    public static string NativeAgent => Path.Combine(Root, "artifacts", "narada-agent", "narada-agent");

    /// <summary>The JIT CLI (<c>dotnet narada.dll agent</c>) from src/Narada.Cli's Release build.</summary>
    public static string JitCli => Path.Combine(Root, "src", "Narada.Cli", "bin", "Release", "net10.0", "narada.dll");

    public static void RequireAgents()
    {
        if (!File.Exists(NativeAgent))
            throw new BenchSetupException($"{NativeAgent} is missing: run scripts/publish-agent first");
        if (!File.Exists(JitCli))
            throw new BenchSetupException($"{JitCli} is missing: run dotnet build src/Narada.Cli -c Release first");
    }

    private static string FindRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Narada.sln")))
                    return dir.FullName;
        throw new BenchSetupException("run from inside the Narada checkout (Narada.sln not found above the working directory)");
    }
}

/// <summary>Something the benchmark needs is not there; the message says how to get it.</summary>
internal sealed class BenchSetupException(string message) : Exception(message);
