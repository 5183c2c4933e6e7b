using Narada.Agent.Configuration;
using Narada.Core.Execution;

namespace Narada.Agent.Manifests;

/// <summary>Reads one <c>plugin.yaml</c>; a broken command is reported and skipped, the rest of the file still loads.</summary>
internal static class ManifestReader
{
    public static readonly string[] OutputFormats = ["nagios", "prometheus", "graphite", "influx", "json", "text"];
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(1);

    public static PluginManifest? Read(string file, ICollection<ManifestDiagnostic> diagnostics)
    {
        try
        {
            var top = YamlCursor.LoadFile(file).Mapping("plugin", "description", "commands");
            var nameCursor = top.TryGetValue("plugin", out var p) ? p : throw new YamlFileException(new SourcePosition(file, 1, 1), "", "missing key 'plugin' (the plugin's name)");
            string name = nameCursor.RequiredText();
            if (!IsValidName(name))
                throw nameCursor.Error($"'{name}' is not a valid plugin name (lower-case letters, digits, '_' or '-', starting with a letter)");
            if (name == "system")
                throw nameCursor.Error("'system' is reserved for the collectors built into the agent");
            var commands = new Dictionary<string, ManifestCommand>(StringComparer.Ordinal);
            var commandEntries = top.TryGetValue("commands", out var c) ? c.MappingEntries() : [];
            if (commandEntries.Count == 0)
                diagnostics.Add(new(ManifestSeverity.Warning, nameCursor.Position, $"plugin '{name}' declares no commands"));
            foreach (var (commandName, cursor) in commandEntries)
            {
                try
                {
                    if (!IsValidName(commandName))
                        throw cursor.Error($"'{commandName}' is not a valid command name (lower-case letters, digits, '_' or '-', starting with a letter)");
                    var command = ReadCommand(name, commandName, cursor, Path.GetDirectoryName(Path.GetFullPath(file))!);
                    if (command.UnavailableReason is { } reason)
                        diagnostics.Add(new(ManifestSeverity.Warning, cursor.Position, $"{command.FullName} is unavailable: {reason}"));
                    commands[commandName] = command;
                }
                catch (YamlFileException e)
                {
                    diagnostics.Add(new(ManifestSeverity.Error, e.Position, $"{e.KeyPath}: {e.Reason} (command skipped)"));
                }
            }
            return new PluginManifest(name, file, top.TryGetValue("description", out var d) ? d.Text() : null, commands);
        }
        catch (YamlFileException e)
        {
            diagnostics.Add(new(ManifestSeverity.Error, e.Position, (e.KeyPath.Length > 0 ? $"{e.KeyPath}: " : "") + $"{e.Reason} (file skipped)"));
            return null;
        }
    }

    private static ManifestCommand ReadCommand(string plugin, string name, YamlCursor cursor, string manifestDir)
    {
        var keys = cursor.Mapping("exec", "args", "params", "output", "timeout", "env", "description");
        var execCursor = keys.TryGetValue("exec", out var e) ? e : throw cursor.Error("missing key 'exec' (the program to run)");
        string exec = execCursor.RequiredText();
        if (exec.Contains('\0') || (exec.Contains(' ') && !File.Exists(Path.Combine(manifestDir, exec))))
            throw execCursor.Error($"'{exec}' is a program path, not a command line: put arguments under 'args'");
        string executable = Path.GetFullPath(exec, manifestDir);

        var parameters = new Dictionary<string, ParamSpec>(StringComparer.Ordinal);
        if (keys.TryGetValue("params", out var paramsCursor))
        {
            foreach (var (paramName, paramCursor) in paramsCursor.MappingEntries())
                parameters[paramName] = ParamReader.Read(paramName, paramCursor);
        }

        var args = new List<IReadOnlyList<ArgTemplate>>();
        if (keys.TryGetValue("args", out var argsCursor))
        {
            foreach (var item in argsCursor.Items())
            {
                // A nested list is a group such as [-C, "{command}"]: kept or dropped together.
                var group = item.Node is YamlDotNet.RepresentationModel.YamlSequenceNode ? item.Items() : [item];
                args.Add(group.Select(g => Template(g, parameters)).ToArray());
            }
        }

        var environment = new Dictionary<string, ArgTemplate>(StringComparer.Ordinal);
        if (keys.TryGetValue("env", out var envCursor))
        {
            foreach (var (variable, valueCursor) in envCursor.MappingEntries())
            {
                if (variable.Length == 0 || char.IsAsciiDigit(variable[0]) || !variable.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_'))
                    throw valueCursor.Error($"'{variable}' is not a valid environment variable name");
                environment[variable] = Template(valueCursor, parameters);
            }
        }

        string output = keys.TryGetValue("output", out var o) ? o.RequiredText() : "text";
        if (!OutputFormats.Contains(output))
            throw o!.Error($"unknown output format '{output}'{NearestName.Hint(output, OutputFormats)}; expected one of: {string.Join(", ", OutputFormats)}");
        var timeout = keys.TryGetValue("timeout", out var t) ? t.Duration(TimeSpan.FromMilliseconds(1)) : DefaultTimeout;
        if (timeout > MaxTimeout)
            throw t!.Error($"timeout {t.Text()} is longer than the maximum of 1h");

        return new ManifestCommand
        {
            Plugin = plugin,
            Name = name,
            Executable = executable,
            Args = args,
            Params = parameters,
            Environment = environment,
            Output = output,
            Timeout = timeout,
            Description = keys.TryGetValue("description", out var d) ? d.Text() : null,
            UnavailableReason = Unavailable(executable),
        };
    }

    private static ArgTemplate Template(YamlCursor cursor, IReadOnlyDictionary<string, ParamSpec> parameters)
    {
        var template = ArgTemplate.Parse(cursor.RequiredText(), out var problem) ?? throw cursor.Error(problem!);
        foreach (var param in template.Params)
        {
            if (!parameters.ContainsKey(param))
                throw cursor.Error($"placeholder '{{{param}}}' names no declared parameter{NearestName.Hint(param, parameters.Keys)}");
        }
        return template;
    }

    private static string? Unavailable(string executable) =>
        !File.Exists(executable) ? $"{executable} does not exist"
        : !Executable.MayRun(executable) ? $"{executable} is not executable by this user"
        : null;

    private static bool IsValidName(string name) =>
        name.Length is > 0 and <= 64 && char.IsAsciiLetterLower(name[0])
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-');
}
