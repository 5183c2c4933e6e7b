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
    /// Lint problems other than those node_exporter's own names draw, which Narada keeps on purpose so existing
    /// dashboards work: camelCase /proc names (node_memory_MemTotal_bytes, node_netstat_Tcp_InSegs,
    /// node_sockstat_TCP_inuse) and entropy counted in bits (node_entropy_available_bits).
    /// </summary>
    public static async Task<IReadOnlyList<string>> ProblemsAsync(string exposition) =>
        (await LintAsync(exposition)).Where(p => !IsNodeExportersOwn(p)).ToArray();

    private static readonly string[] CamelCaseFamilies = ["node_memory_", "node_netstat_", "node_sockstat_"];

    private static bool IsNodeExportersOwn(string problem) =>
        (CamelCaseFamilies.Any(f => problem.StartsWith(f, StringComparison.Ordinal)) && problem.Contains("camelCase", StringComparison.Ordinal))
        || (problem.StartsWith("node_entropy_", StringComparison.Ordinal) && problem.EndsWith("instead of \"bits\"", StringComparison.Ordinal));
}
