using Narada.Core.Yaml;

namespace Narada.Agent.Manifests;

/// <summary>Every plugin manifest the agent found, and the only way a job's <c>plugin.command</c> becomes something to run.</summary>
public sealed class ManifestCatalog
{
    private readonly Dictionary<string, PluginManifest> _plugins;

    private ManifestCatalog(Dictionary<string, PluginManifest> plugins, IReadOnlyList<ManifestDiagnostic> diagnostics)
    {
        _plugins = plugins;
        Diagnostics = diagnostics;
    }

    /// <summary>Errors (a command or file skipped) and warnings (a command unavailable) found while loading.</summary>
    public IReadOnlyList<ManifestDiagnostic> Diagnostics { get; }

    /// <summary>The diagnostics that made the agent skip a command or a whole file.</summary>
    public IEnumerable<ManifestDiagnostic> Errors => Diagnostics.Where(d => d.Severity == ManifestSeverity.Error);

    public IReadOnlyCollection<PluginManifest> Plugins => _plugins.Values;

    /// <summary><c>plugin.command</c> names that can run on this host, sorted, for the heartbeat.</summary>
    public IReadOnlyList<string> AvailableCommands =>
        _plugins.Values.SelectMany(p => p.Commands.Values).Where(c => c.Available).Select(c => c.FullName).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Loads every <c>&lt;dir&gt;/*/plugin.yaml</c>; a missing directory is skipped, the first plugin of a name wins.</summary>
    public static ManifestCatalog Load(IEnumerable<string> pluginDirs)
    {
        var plugins = new Dictionary<string, PluginManifest>(StringComparer.Ordinal);
        var diagnostics = new List<ManifestDiagnostic>();
        foreach (var dir in pluginDirs)
        {
            if (!Directory.Exists(dir))
                continue;
            foreach (var pluginDir in Directory.EnumerateDirectories(dir).Order(StringComparer.Ordinal))
            {
                var file = Path.Combine(pluginDir, "plugin.yaml");
                if (!File.Exists(file))
                    continue;
                if (ManifestReader.Read(file, diagnostics) is not { } manifest)
                    continue;
                if (plugins.TryGetValue(manifest.Name, out var first))
                    diagnostics.Add(new(ManifestSeverity.Warning, new SourcePosition(file, 1, 1), $"plugin '{manifest.Name}' is already defined by {first.File}; this one is ignored"));
                else
                    plugins[manifest.Name] = manifest;
            }
        }
        return new ManifestCatalog(plugins, diagnostics);
    }

    /// <summary>Finds a declared command, available or not.</summary>
    public ManifestCommand? Find(string plugin, string command) =>
        _plugins.TryGetValue(plugin, out var manifest) && manifest.Commands.TryGetValue(command, out var found) ? found : null;

    /// <summary>Validates <paramref name="parameters"/> against the manifest of <paramref name="pluginCommand"/> (<c>plugin.command</c>) and builds its argv.</summary>
    public ResolveResult Resolve(string pluginCommand, IReadOnlyDictionary<string, string> parameters)
    {
        int dot = pluginCommand.IndexOf('.');
        if (dot <= 0 || dot == pluginCommand.Length - 1)
            return new ResolveError(ResolveErrorKind.MalformedName, $"'{pluginCommand}' is not of the form <plugin>.<command>, e.g. nagios.check_disk");
        string pluginName = pluginCommand[..dot], commandName = pluginCommand[(dot + 1)..];
        if (!_plugins.TryGetValue(pluginName, out var manifest))
            return new ResolveError(ResolveErrorKind.UnknownPlugin,
                $"unknown plugin '{pluginName}'{NearestName.Hint(pluginName, _plugins.Keys)}; this agent has: {List(_plugins.Keys)}");
        if (!manifest.Commands.TryGetValue(commandName, out var command))
            return new ResolveError(ResolveErrorKind.UnknownCommand,
                $"plugin '{pluginName}' has no command '{commandName}'{NearestName.Hint(commandName, manifest.Commands.Keys)}; it has: {List(manifest.Commands.Keys)}");
        if (command.UnavailableReason is { } reason)
            return new ResolveError(ResolveErrorKind.Unavailable, $"{command.FullName} is unavailable on this host: {reason}");
        return CommandResolution.Resolve(command, parameters);
    }

    private static string List(IEnumerable<string> names) =>
        names.Any() ? string.Join(", ", names.Order(StringComparer.Ordinal)) : "(none)";
}
