using Narada.Gearman.Transport;

namespace Narada.Agent.Configuration;

/// <summary>Turns the YAML of an agent config into an <see cref="AgentConfig"/>, rejecting unknown keys and bad values with their position.</summary>
internal static class AgentConfigReader
{
    private static readonly string[] Keys =
        ["servers", "name", "tags", "plugin_dirs", "concurrency", "heartbeat_interval", "output_cap", "stop_timeout", "apply", "results_function"];

    public static AgentConfig Read(YamlCursor root, string baseDirectory, AgentConfigOverrides overrides)
    {
        var keys = root.Mapping(Keys);
        var config = new AgentConfig
        {
            PluginDirs = [Path.Combine(baseDirectory, "plugins"), AgentConfig.SystemPluginDir],
        };
        foreach (var (key, value) in keys)
        {
            config = key switch
            {
                "servers" => config with { Servers = Servers(value) },
                "name" => config with { Name = value.IsNull ? config.Name : CheckedName(value, value.RequiredText()) },
                "tags" => config with { Tags = value.Items().Select(t => CheckedName(t, t.RequiredText())).Distinct().ToArray() },
                "plugin_dirs" => config with { PluginDirs = value.Items().Select(d => Path.TrimEndingDirectorySeparator(Path.GetFullPath(d.RequiredText(), baseDirectory))).ToArray() },
                "concurrency" => config with { Concurrency = value.Int(1, 1024) },
                "heartbeat_interval" => config with { HeartbeatInterval = value.Duration(TimeSpan.FromSeconds(1)) },
                "output_cap" => config with { OutputCap = value.ByteSize(1024) },
                "stop_timeout" => config with { StopTimeout = value.Duration(TimeSpan.Zero) },
                "apply" => config with { Apply = Apply(value) },
                "results_function" => config with { ResultsFunction = FunctionName(value) },
                _ => config,
            };
        }
        if (overrides.Servers.Count > 0)
            config = config with { Servers = overrides.Servers };
        if (overrides.Name is { } name)
            config = config with { Name = IsValidName(name) ? name : throw new FormatException($"--name '{name}': {NameRule}") };
        return config;
    }

    private const string NameRule = "must be letters, digits, '.', '_' or '-', starting with a letter or digit, at most 253 characters";

    private static bool IsValidName(string name) =>
        name.Length is > 0 and <= 253 && char.IsAsciiLetterOrDigit(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    // Names end up inside Gearman function names (narada.check@<name>, @tag:<tag>), so they are kept to a safe set.
    private static string CheckedName(YamlCursor cursor, string name) =>
        IsValidName(name) ? name : throw cursor.Error($"'{name}' {NameRule}");

    private static IReadOnlyList<ServerAddress> Servers(YamlCursor cursor)
    {
        var servers = new List<ServerAddress>();
        foreach (var item in cursor.Items())
        {
            try
            {
                servers.Add(ServerAddress.Parse(item.RequiredText()));
            }
            catch (FormatException e)
            {
                throw item.Error(e.Message);
            }
        }
        return servers.Count > 0 ? servers : throw cursor.Error("at least one job server is needed, e.g. 127.0.0.1:4730");
    }

    private static ApplyConfig Apply(YamlCursor cursor)
    {
        var keys = cursor.Mapping("paths", "backup_dir", "commands", "command_timeout");
        var apply = new ApplyConfig();
        if (keys.TryGetValue("paths", out var paths))
            apply = apply with { Paths = paths.Items().Select(AbsolutePath).Distinct().ToArray() };
        if (keys.TryGetValue("backup_dir", out var backup))
            apply = apply with { BackupDir = AbsolutePath(backup) };
        if (keys.TryGetValue("commands", out var commands))
            apply = apply with { Commands = commands.Items().Select(AbsolutePath).Distinct().ToArray() };
        if (keys.TryGetValue("command_timeout", out var timeout))
            apply = apply with { CommandTimeout = timeout.Duration(TimeSpan.FromMilliseconds(100)) };
        return apply;
    }

    private static string AbsolutePath(YamlCursor cursor)
    {
        var text = cursor.RequiredText();
        if (!text.StartsWith('/') || text.Contains('\0'))
            throw cursor.Error($"'{text}' is not an absolute path");
        var full = Path.GetFullPath(text);
        return full.Length > 1 ? full.TrimEnd('/') : full;
    }

    private static string FunctionName(YamlCursor cursor)
    {
        var text = cursor.RequiredText();
        return text.Length is > 0 and <= 255 && text.All(c => c > ' ' && c < 127)
            ? text
            : throw cursor.Error($"'{text}' is not a usable Gearman function name (printable ASCII, no spaces)");
    }
}
