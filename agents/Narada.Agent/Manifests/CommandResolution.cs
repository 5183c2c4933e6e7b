using Narada.Core.Yaml;

namespace Narada.Agent.Manifests;

/// <summary>Turns job parameters into argv for one command: unknown names and invalid values stop here, before any process exists.</summary>
internal static class CommandResolution
{
    public static ResolveResult Resolve(ManifestCommand command, IReadOnlyDictionary<string, string> supplied)
    {
        var unknown = supplied.Keys.Where(k => !command.Params.ContainsKey(k)).Order(StringComparer.Ordinal).ToArray();
        if (unknown.Length > 0)
        {
            string declared = command.Params.Count == 0 ? "it takes no parameters" : $"it takes: {string.Join(", ", command.Params.Keys.Order(StringComparer.Ordinal))}";
            var each = unknown.Select(u => $"'{u}'{NearestName.Hint(u, command.Params.Keys)}");
            return new ResolveError(ResolveErrorKind.UnknownParameter, $"{command.FullName}: unknown parameter {string.Join(", ", each)}; {declared}");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var spec in command.Params.Values)
        {
            string? value = supplied.TryGetValue(spec.Name, out var given) ? given : spec.Default;
            if (value is null)
            {
                if (spec.Required)
                    return new ResolveError(ResolveErrorKind.MissingParameter, $"{command.FullName}: missing required parameter '{spec.Name}' ({spec.Type.Name}){Describe(spec)}");
                continue;
            }
            if (spec.Type.Check(value, out var rendered) is { } problem)
                return new ResolveError(ResolveErrorKind.InvalidValue, $"{command.FullName}: parameter '{spec.Name}' value '{Shorten(value)}' {problem}");
            values[spec.Name] = rendered;
        }

        var argv = new List<string>();
        foreach (var group in command.Args)
        {
            var rendered = group.Select(a => a.Render(values)).ToArray();
            // An optional parameter without a value removes its whole group, e.g. [-C, "{command}"] or "--port={port}".
            if (rendered.All(r => r is not null))
                argv.AddRange(rendered!);
        }
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, template) in command.Environment)
        {
            if (template.Render(values) is { } value)
                environment[name] = value;
        }
        return new ResolvedCommand(command.Plugin, command.Name, command.Executable, argv, environment, command.Timeout, command.Output);
    }

    private static string Describe(ParamSpec spec) => spec.Description is { } d ? $": {d}" : "";

    private static string Shorten(string value) => value.Length <= 80 ? value : value[..77] + "...";
}
