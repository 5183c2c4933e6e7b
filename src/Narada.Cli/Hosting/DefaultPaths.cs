namespace Narada.Cli.Hosting;

/// <summary>
/// Where Narada looks when not told: config/, plugins/ and agents/agent.yaml of the checkout or install it runs from
/// (the working directory first, then the directories above the executable), and .narada/ for state.
/// </summary>
internal static class DefaultPaths
{
    public static string Config => Find("config") ?? "config";
    public static string Plugins => Find("plugins") ?? "plugins";
    public static string? AgentConfig => Find(Path.Combine("agents", "agent.yaml"));
    public static string Data => Path.Combine(Environment.CurrentDirectory, ".narada");

    private static string? Find(string relative)
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, relative);
                if (Directory.Exists(candidate) || File.Exists(candidate))
                    return candidate;
            }
        return null;
    }
}
