using Narada.Agent.Configuration;
using Narada.Agent.Manifests;

namespace Narada.Agent;

/// <summary>
/// <c>narada-agent --check</c> (and <c>narada agent --check</c>): the configuration as the agent would run it and every
/// manifest problem, without connecting anywhere, so a change can be checked before the restart (as <c>nginx -t</c>).
/// </summary>
public static class AgentCheck
{
    /// <summary>Writes the report to <paramref name="output"/> and returns the exit code: 0 when every manifest reads
    /// (warnings allowed), 1 when one would be skipped.</summary>
    public static int Report(AgentConfig config, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var (lines, ok) = Run(config);
        foreach (var line in lines)
            output.WriteLine(line);
        return ok ? 0 : 1;
    }

    /// <summary>The report's lines, and whether the agent would start with every manifest read (warnings allowed).</summary>
    private static (IReadOnlyList<string> Lines, bool Ok) Run(AgentConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var catalog = ManifestCatalog.Load(config.PluginDirs);
        var lines = new List<string>
        {
            $"agent {config.Name}, tags [{string.Join(", ", config.Tags)}], job servers {string.Join(", ", config.Servers)}" +
                (config.Tls is null ? "" : " over TLS"),
        };
        foreach (var dir in config.PluginDirs)
            lines.Add(Directory.Exists(dir) ? $"plugin directory {dir}" : $"plugin directory {dir} (not present, skipped)");
        int declared = catalog.Plugins.Sum(p => p.Commands.Count);
        lines.Add($"{catalog.Plugins.Count} plugins, {catalog.AvailableCommands.Count} of {declared} commands available");
        lines.AddRange(catalog.Diagnostics.Select(d => d.ToString()));
        lines.Add(config.Apply.Paths.Count == 0
            ? "apply: refused (no apply.paths)"
            : $"apply: at or under {string.Join(", ", config.Apply.Paths)}; backups in {config.Apply.BackupDir}; " +
              $"commands {(config.Apply.Commands.Count == 0 ? "none" : string.Join(", ", config.Apply.Commands))}");
        // A validate or on_change naming a program this host lacks fails only when an apply runs it: say so now.
        lines.AddRange(config.Apply.Commands.Where(c => !File.Exists(c)).Select(c => $"warning: apply command {c} does not exist here"));
        bool ok = !catalog.Errors.Any();
        lines.Add(ok ? "configuration ok" : "configuration has errors: the files above are skipped when the agent starts");
        return (lines, ok);
    }
}
