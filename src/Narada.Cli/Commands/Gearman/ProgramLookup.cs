namespace Narada.Cli.Commands.Gearman;

/// <summary>Finds a worker's program on PATH up front, so a typo is a usage error rather than a failed job each time.</summary>
internal static class ProgramLookup
{
    public static IReadOnlyList<string> Resolve(IReadOnlyList<string> argv)
    {
        string name = argv[0];
        string? path = name.Contains('/') ? (File.Exists(name) ? Path.GetFullPath(name) : null) : Search(name);
        if (path is null)
            throw new UsageException($"command '{name}' not found{(name.Contains('/') ? "" : " on PATH")}");
        return [path, .. argv.Skip(1)];
    }

    private static string? Search(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }
}
