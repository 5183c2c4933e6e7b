namespace Narada.Testing;

/// <summary>The real <c>promtool check metrics</c> (Debian's prometheus package) as a test oracle.</summary>
public static class Promtool
{
    /// <summary>
    /// Runs promtool on <paramref name="exposition"/>. Exit 1 (a parse error) always fails; exit 3 lists lint
    /// problems, returned here so a test can allow exactly the ones it expects.
    /// </summary>
    public static async Task<IReadOnlyList<string>> LintAsync(string exposition)
    {
        var result = await ExternalProcess.RunAsync(RequiredTool.Path("promtool", "prometheus"), ["check", "metrics"], stdin: exposition);
        if (result.ExitCode is not (0 or 3))
            throw new InvalidOperationException($"promtool rejected the exposition: {result}\n{exposition}");
        return result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>
    /// Lint problems other than node_exporter's own camelCase /proc/meminfo names (node_memory_MemTotal_bytes), which
    /// Narada keeps on purpose so existing dashboards work.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ProblemsAsync(string exposition) =>
        (await LintAsync(exposition)).Where(p => !(p.StartsWith("node_memory_", StringComparison.Ordinal) && p.Contains("camelCase"))).ToArray();
}
