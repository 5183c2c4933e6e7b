using System.Diagnostics.CodeAnalysis;
using Narada.Core.Plugins;

namespace Narada.Plugins.System;

/// <summary>The collectors compiled into the agent, listed explicitly (no reflection) and found by command name.</summary>
public sealed class BuiltinCollectors
{
    /// <summary>The plugin name the commands live under: <c>system.node</c>, <c>system.cpu</c>, ...</summary>
    public const string PluginName = "system";

    private readonly Dictionary<string, IBuiltinCollector> _byName;

    public BuiltinCollectors(SystemPaths? paths = null)
    {
        paths ??= SystemPaths.Default;
        All =
        [
            new SystemNodeCollector(paths), new CpuCollector(paths), new MemoryCollector(paths), new LoadCollector(paths),
            new FilesystemCollector(paths), new DiskStatsCollector(paths), new NetworkCollector(paths),
            new UptimeCollector(paths), new FilefdCollector(paths), new EntropyCollector(paths), new VmstatCollector(paths),
            new SockstatCollector(paths), new NetstatCollector(paths), new PressureCollector(paths), new UnameCollector(paths),
            new OsCollector(paths), new NetClassCollector(paths), new ArpCollector(paths), new SoftnetCollector(paths),
            new TimeCollector(paths), new TimexCollector(paths), new CpuFreqCollector(paths),
        ];
        _byName = new Dictionary<string, IBuiltinCollector>(StringComparer.Ordinal);
        foreach (var collector in All)
            _byName.Add(collector.Name, collector);
    }

    public IReadOnlyList<IBuiltinCollector> All { get; }

    /// <summary>Finds a collector by its command name (<c>node</c>) or full name (<c>system.node</c>).</summary>
    public bool TryGet(string name, [MaybeNullWhen(false)] out IBuiltinCollector collector)
    {
        ArgumentNullException.ThrowIfNull(name);
        var command = name.StartsWith(PluginName + ".", StringComparison.Ordinal) ? name[(PluginName.Length + 1)..] : name;
        return _byName.TryGetValue(command, out collector);
    }
}
