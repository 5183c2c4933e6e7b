using Narada.Core.Yaml;
using Narada.Gearman.Transport;

namespace Narada.Agent.Configuration;

/// <summary>Turns the YAML of an agent config into an <see cref="AgentConfig"/>; every unknown key and bad value is
/// recorded with its position, and the file is refused when there is any.</summary>
internal static class AgentConfigReader
{
    public static AgentConfig? Read(MappingReader reader, string baseDirectory)
    {
        var context = reader.Context;
        var config = new AgentConfig { PluginDirs = [Path.Combine(baseDirectory, "plugins"), AgentConfig.SystemPluginDir] };
        if (reader.Sequence("servers") is { } serverList)
            config = config with { Servers = Servers(reader, serverList) };
        if (reader.Value("name") is { } nameNode && reader.Scalar(nameNode, "name") is { } name)
            config = config with { Name = CheckedName(context, nameNode, "name", name) ?? config.Name };
        if (reader.Value("tags") is not null)
            config = config with { Tags = reader.StringItems("tags").Select(t => CheckedName(context, t.Node, t.Path, t.Text)).OfType<string>().Distinct().ToArray() };
        if (reader.Value("plugin_dirs") is not null)
            config = config with
            {
                PluginDirs = reader.StringList("plugin_dirs").Select(d => Path.TrimEndingDirectorySeparator(Path.GetFullPath(d, baseDirectory))).ToArray(),
            };
        config = config with
        {
            Concurrency = reader.Integer("concurrency", min: 1, max: 1024) ?? config.Concurrency,
            HeartbeatInterval = reader.Duration("heartbeat_interval", min: TimeSpan.FromSeconds(1)) ?? config.HeartbeatInterval,
            OutputCap = reader.ByteSize("output_cap", min: 1024) ?? config.OutputCap,
            StopTimeout = reader.Duration("stop_timeout", allowZero: true) ?? config.StopTimeout,
            Apply = reader.Map("apply") is { } apply ? Apply(apply) : config.Apply,
            ResultsFunction = FunctionName(reader) ?? config.ResultsFunction,
            Tls = reader.Map("tls") is { } tls ? TlsConfigReader.Read(tls, baseDirectory) : config.Tls,
        };
        reader.RejectUnknownKeys();
        return context.ErrorCount == 0 ? config : null;
    }

    /// <summary>The command line's <c>--server</c>, <c>--name</c> and <c>--tls-*</c> over the file's values.</summary>
    public static AgentConfig Override(AgentConfig config, AgentConfigOverrides overrides)
    {
        if (overrides.Servers.Count > 0)
            config = config with { Servers = overrides.Servers };
        config = config with { Tls = overrides.ApplyTls(config.Tls) };
        if (overrides.Name is { } name)
            config = config with { Name = IsValidName(name) ? name : throw new FormatException($"--name '{name}': {NameRule}") };
        return config;
    }

    private const string NameRule = "must be letters, digits, '.', '_' or '-', starting with a letter or digit, at most 253 characters";

    private static bool IsValidName(string name) =>
        name.Length is > 0 and <= 253 && char.IsAsciiLetterOrDigit(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    // Names end up inside Gearman function names (narada.check@<name>, @tag:<tag>), so they are kept to a safe set.
    private static string? CheckedName(YamlSource context, YamlDotNet.RepresentationModel.YamlNode node, string path, string name)
    {
        if (IsValidName(name))
            return name;
        context.Error(node, path, $"'{name}' {NameRule}");
        return null;
    }

    private static IReadOnlyList<ServerAddress> Servers(MappingReader reader, YamlDotNet.RepresentationModel.YamlSequenceNode list)
    {
        var servers = new List<ServerAddress>();
        foreach (var (text, node, path) in reader.StringItems("servers"))
        {
            try
            {
                servers.Add(ServerAddress.Parse(text));
            }
            catch (FormatException e)
            {
                reader.Context.Error(node, path, e.Message);
            }
        }
        if (list.Children.Count == 0)
            reader.Context.Error(list, "servers", "at least one job server is needed, e.g. 127.0.0.1:4730");
        return servers;
    }

    private static ApplyConfig Apply(MappingReader reader)
    {
        var apply = new ApplyConfig();
        if (reader.Value("paths") is not null)
            apply = apply with { Paths = AbsolutePaths(reader, "paths").Distinct().ToArray() };
        if (reader.Value("backup_dir") is { } backup && reader.Scalar(backup, reader.PathOf("backup_dir")) is { } backupText)
            apply = apply with { BackupDir = AbsolutePath(reader.Context, backup, reader.PathOf("backup_dir"), backupText) ?? apply.BackupDir };
        if (reader.Value("commands") is not null)
            apply = apply with { Commands = AbsolutePaths(reader, "commands").Distinct().ToArray() };
        apply = apply with { CommandTimeout = reader.Duration("command_timeout", min: TimeSpan.FromMilliseconds(100)) ?? apply.CommandTimeout };
        reader.RejectUnknownKeys("apply");
        return apply;
    }

    private static IEnumerable<string> AbsolutePaths(MappingReader reader, string key) =>
        reader.StringItems(key).Select(i => AbsolutePath(reader.Context, i.Node, i.Path, i.Text)).OfType<string>().ToArray();

    private static string? AbsolutePath(YamlSource context, YamlDotNet.RepresentationModel.YamlNode node, string path, string text)
    {
        if (!text.StartsWith('/') || text.Contains('\0'))
        {
            context.Error(node, path, $"'{text}' is not an absolute path");
            return null;
        }
        var full = Path.GetFullPath(text);
        return full.Length > 1 ? full.TrimEnd('/') : full;
    }

    private static string? FunctionName(MappingReader reader)
    {
        if (reader.Value("results_function") is not { } node || reader.Scalar(node, "results_function") is not { } text)
            return null;
        if (text.Length is > 0 and <= 255 && text.All(c => c > ' ' && c < 127))
            return text;
        reader.Context.Error(node, "results_function", $"'{text}' is not a usable Gearman function name (printable ASCII, no spaces)");
        return null;
    }
}
