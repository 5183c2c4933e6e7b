using Narada.Core.Definitions;
using Narada.Core.Execution;
using Narada.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace Narada.Agent.Manifests;

/// <summary>Reads one <c>plugin.yaml</c>; a broken command is reported and skipped, the rest of the file still loads.</summary>
internal static class ManifestReader
{
    public static readonly string[] OutputFormats = ["nagios", "prometheus", "graphite", "influx", "json", "text"];
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(1);

    public static PluginManifest? Read(string file, ICollection<ManifestDiagnostic> diagnostics)
    {
        var (source, root) = YamlSource.LoadFile(file);
        var top = root is null ? null : MappingReader.For(root, "", source);
        string? name = null;
        IReadOnlyList<(string Name, YamlScalarNode Key, YamlNode Value, string Path)> entries = [];
        if (top is not null)
        {
            name = PluginName(top);
            entries = top.Map("commands")?.Entries() ?? [];
            top.Value("description");
            top.RejectUnknownKeys("a plugin manifest");
        }
        if (source.ErrorCount > 0 || name is null)
        {
            foreach (var error in source.Errors)
                diagnostics.Add(new(ManifestSeverity.Error, error.Position, $"{error.Reason} (file skipped)"));
            return null;
        }
        if (entries.Count == 0)
            diagnostics.Add(new(ManifestSeverity.Warning, new SourcePosition(file, (int)root!.Start.Line, (int)root.Start.Column),
                $"plugin '{name}' declares no commands"));

        var manifestDir = Path.GetDirectoryName(Path.GetFullPath(file))!;
        var commands = new Dictionary<string, ManifestCommand>(StringComparer.Ordinal);
        foreach (var (commandName, key, value, path) in entries)
        {
            // Each command is read on its own: its errors skip it alone.
            var commandSource = new YamlSource(file);
            var command = ReadCommand(name, commandName, key, value, path, commandSource, manifestDir);
            foreach (var error in commandSource.Errors)
                diagnostics.Add(new(ManifestSeverity.Error, error.Position, $"{error.Reason} (command skipped)"));
            if (command is null || commandSource.ErrorCount > 0)
                continue;
            if (command.UnavailableReason is { } reason)
                diagnostics.Add(new(ManifestSeverity.Warning, new SourcePosition(file, (int)value.Start.Line, (int)value.Start.Column),
                    $"{command.FullName} is unavailable: {reason}"));
            commands[commandName] = command;
        }
        foreach (var (commandName, _, value, _) in entries)
        {
            if (!commands.TryGetValue(commandName, out var command))
                continue;
            foreach (var hook in command.Hooks.Where(h => !commands.ContainsKey(h.Command) || h.Command == commandName))
            {
                diagnostics.Add(new(ManifestSeverity.Error, new SourcePosition(file, (int)value.Start.Line, (int)value.Start.Column),
                    hook.Command == commandName
                        ? $"{command.FullName}: a hook cannot run the command itself (command skipped)"
                        : $"{command.FullName}: hook runs '{hook.Command}', which this manifest does not declare (have: {string.Join(", ", commands.Keys.Order())}) (command skipped)"));
                commands.Remove(commandName);
                break;
            }
        }
        return new PluginManifest(name, file, top!.String("description"), commands);
    }

    private static string? PluginName(MappingReader top)
    {
        if (top.Value("plugin") is not { } node)
        {
            top.Missing("plugin", "the plugin's name");
            return null;
        }
        if (top.Scalar(node, "plugin") is not { } name)
            return null;
        if (!IsValidName(name))
            top.Context.Error(node, "plugin", $"'{name}' is not a valid plugin name (lower-case letters, digits, '_' or '-', starting with a letter)");
        else if (name == "system")
            top.Context.Error(node, "plugin", "'system' is reserved for the collectors built into the agent");
        else
            return name;
        return null;
    }

    private static ManifestCommand? ReadCommand(string plugin, string name, YamlScalarNode key, YamlNode value, string path,
        YamlSource source, string manifestDir)
    {
        if (!IsValidName(name))
        {
            source.Error(key, path, $"'{name}' is not a valid command name (lower-case letters, digits, '_' or '-', starting with a letter)");
            return null;
        }
        if (MappingReader.For(value, path, source) is not { } reader)
            return null;

        var executable = Executable(reader, manifestDir);
        var parameters = new Dictionary<string, ParamSpec>(StringComparer.Ordinal);
        var declared = new HashSet<string>(StringComparer.Ordinal); // a broken parameter is still declared: no second error at its placeholders
        foreach (var (paramName, paramKey, paramValue, paramPath) in reader.Map("params")?.Entries() ?? [])
        {
            declared.Add(paramName);
            if (ParamReader.Read(paramName, paramKey, paramValue, paramPath, source) is { } spec)
                parameters[paramName] = spec;
        }

        var args = new List<IReadOnlyList<ArgTemplate>>();
        if (reader.Sequence("args") is { } argList)
        {
            for (int i = 0; i < argList.Children.Count; i++)
            {
                var itemPath = $"{reader.PathOf("args")}[{i}]";
                // A nested list is a group such as [-C, "{command}"]: kept or dropped together.
                var group = argList.Children[i] is YamlSequenceNode nested
                    ? nested.Children.Select((n, j) => (n, $"{itemPath}[{j}]")).ToArray()
                    : [(argList.Children[i], itemPath)];
                args.Add(group.Select(g => Template(reader, g.Item1, g.Item2, declared)).OfType<ArgTemplate>().ToArray());
            }
        }

        var environment = new Dictionary<string, ArgTemplate>(StringComparer.Ordinal);
        foreach (var (variable, variableKey, variableValue, variablePath) in reader.Map("env")?.Entries() ?? [])
        {
            if (variable.Length == 0 || char.IsAsciiDigit(variable[0]) || !variable.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_'))
                source.Error(variableKey, variablePath, $"'{variable}' is not a valid environment variable name");
            else if (Template(reader, variableValue, variablePath, declared) is { } template)
                environment[variable] = template;
        }

        var output = reader.String("output") ?? "text";
        if (!OutputFormats.Contains(output))
            source.Error(reader.Value("output")!, reader.PathOf("output"), $"unknown output format '{output}' (formats: {string.Join(", ", OutputFormats)})",
                NearestName.Find(output, OutputFormats));
        var timeout = reader.Duration("timeout", max: MaxTimeout) ?? DefaultTimeout;
        var description = reader.String("description");
        var hooks = Hooks(reader);
        reader.RejectUnknownKeys("a command");
        if (executable is null)
            return null;

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
            Description = description,
            UnavailableReason = Unavailable(executable),
            Hooks = hooks,
        };
    }

    private static readonly string[] HookStates = ["OK", "WARNING", "CRITICAL", "UNKNOWN"];

    /// <summary><c>hooks: [{ on: [CRITICAL, UNKNOWN], run: status }]</c>: which command of this manifest to run on which states.</summary>
    private static IReadOnlyList<CommandHook> Hooks(MappingReader reader)
    {
        var hooks = new List<CommandHook>();
        if (reader.Sequence("hooks") is not { } list)
            return hooks;
        for (int i = 0; i < list.Children.Count; i++)
        {
            if (MappingReader.For(list.Children[i], $"{reader.PathOf("hooks")}[{i}]", reader.Context) is not { } hook)
                continue;
            var states = new HashSet<Narada.Core.Formats.CheckStatus>();
            foreach (var (text, node, path) in hook.OneOrMany("on"))
            {
                int index = Array.IndexOf(HookStates, text.ToUpperInvariant());
                if (index < 0)
                    hook.Context.Error(node, path, $"unknown state '{text}' (states: {string.Join(", ", HookStates)})", NearestName.Find(text.ToUpperInvariant(), HookStates));
                else
                    states.Add((Narada.Core.Formats.CheckStatus)index);
            }
            if (hook.Value("on") is null)
                hook.Missing("on", "the states that run the hook, e.g. on: [CRITICAL]");
            var run = hook.String("run", required: true);
            if (run is not null && !IsValidName(run))
                hook.Context.Error(hook.Value("run")!, hook.PathOf("run"), $"'{run}' is not a command name of this manifest");
            hook.RejectUnknownKeys("a hook");
            if (run is not null && states.Count > 0)
                hooks.Add(new CommandHook(states, run));
        }
        return hooks;
    }

    private static string? Executable(MappingReader reader, string manifestDir)
    {
        if (reader.Value("exec") is not { } node)
        {
            reader.Missing("exec", "the program to run");
            return null;
        }
        if (reader.Scalar(node, reader.PathOf("exec")) is not { } exec)
            return null;
        if (exec.Contains('\0') || (exec.Contains(' ') && !File.Exists(Path.Combine(manifestDir, exec))))
        {
            reader.Context.Error(node, reader.PathOf("exec"), $"'{exec}' is a program path, not a command line: put arguments under 'args'");
            return null;
        }
        return Path.GetFullPath(exec, manifestDir);
    }

    private static ArgTemplate? Template(MappingReader reader, YamlNode node, string path, IReadOnlySet<string> parameters)
    {
        if (reader.Scalar(node, path) is not { } text)
            return null;
        if (ArgTemplate.Parse(text, out var problem) is not { } template)
        {
            reader.Context.Error(node, path, problem!);
            return null;
        }
        foreach (var param in template.Params)
        {
            if (!parameters.Contains(param))
            {
                reader.Context.Error(node, path, $"placeholder '{{{param}}}' names no declared parameter", NearestName.Find(param, parameters));
                return null;
            }
        }
        return template;
    }

    private static string? Unavailable(string executable) =>
        !File.Exists(executable) ? $"{executable} does not exist"
        : !Core.Execution.Executable.MayRun(executable) ? $"{executable} is not executable by this user"
        : null;

    private static bool IsValidName(string name) =>
        name.Length is > 0 and <= 64 && char.IsAsciiLetterLower(name[0])
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-');
}
