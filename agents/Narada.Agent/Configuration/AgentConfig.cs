using Narada.Core.Yaml;
using Narada.Gearman.Tls;
using Narada.Gearman.Transport;

namespace Narada.Agent.Configuration;

/// <summary>How one agent runs: which job servers it serves, under which name and tags, with which plugins and limits.</summary>
public sealed record AgentConfig
{
    /// <summary>System-wide plugin directory searched after the configured ones.</summary>
    public const string SystemPluginDir = "/usr/lib/narada/plugins";

    /// <summary>Job servers to serve, each connected independently.</summary>
    public IReadOnlyList<ServerAddress> Servers { get; init; } = [ServerAddress.Local];

    /// <summary>The host name in function names (<c>narada.check@&lt;name&gt;</c>); defaults to the machine's host name.</summary>
    public string Name { get; init; } = Environment.MachineName;

    /// <summary>Tags, each served as <c>narada.check@tag:&lt;tag&gt;</c> and reported in the heartbeat.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Absolute directories whose <c>*/plugin.yaml</c> manifests are loaded, first wins on a name clash.</summary>
    public IReadOnlyList<string> PluginDirs { get; init; } = [SystemPluginDir];

    /// <summary>Jobs run at the same time; further jobs wait in the job server, not in the agent.</summary>
    public int Concurrency { get; init; } = Math.Max(4, 2 * Environment.ProcessorCount);

    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Bytes of stdout and of stderr kept per plugin run.</summary>
    public long OutputCap { get; init; } = 1024 * 1024;

    /// <summary>On stop, how long running jobs may finish before they are reported as failed.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public ApplyConfig Apply { get; init; } = new();

    /// <summary>TLS on every job server connection (worker and client); null speaks plain TCP.</summary>
    public GearmanTlsOptions? Tls { get; init; }

    /// <summary>Function that results and heartbeats are submitted to.</summary>
    public string ResultsFunction { get; init; } = Narada.Core.Contracts.FunctionNames.Results;

    /// <summary>Reads <paramref name="path"/>; relative plugin directories are taken relative to the file. Throws
    /// <see cref="YamlFileException"/> with every error (file:line:col) when the file cannot be used as written.</summary>
    public static AgentConfig Load(string path, AgentConfigOverrides? overrides = null)
    {
        var fullPath = Path.GetFullPath(path);
        var (source, root) = YamlSource.LoadFile(fullPath);
        return Read(source, root, Path.GetDirectoryName(fullPath)!, overrides);
    }

    /// <summary>Reads configuration from text (e.g. embedded defaults); <paramref name="baseDirectory"/> anchors relative paths.</summary>
    public static AgentConfig Parse(string yaml, string sourceName, string baseDirectory, AgentConfigOverrides? overrides = null)
    {
        var (source, root) = YamlSource.Parse(yaml, sourceName);
        return Read(source, root, Path.GetFullPath(baseDirectory), overrides);
    }

    private static AgentConfig Read(YamlSource source, YamlDotNet.RepresentationModel.YamlNode? root, string baseDirectory,
        AgentConfigOverrides? overrides)
    {
        var config = root is not null && MappingReader.For(root, "", source) is { } reader ? AgentConfigReader.Read(reader, baseDirectory) : null;
        source.ThrowIfErrors();
        return Override(config!, overrides ?? new());
    }

    /// <summary>The command line's <c>--server</c>, <c>--name</c> and <c>--tls-*</c> over <paramref name="config"/>.</summary>
    public static AgentConfig Override(AgentConfig config, AgentConfigOverrides overrides) => AgentConfigReader.Override(config, overrides);
}
