using Narada.Core.Contracts;
using Narada.Core.Yaml;

namespace Narada.Core.Definitions;

/// <summary>Reads a <c>kind: Collector</c> document.</summary>
internal static class CollectorParser
{
    public static CollectorDefinition? Parse(MappingReader reader, string name, DefinitionSource source)
    {
        var plugin = DefinitionParts.Plugin(reader);
        var parameters = reader.StringMap("params");
        var schedule = DefinitionParts.Schedule(reader, required: true, out _);
        var targets = DefinitionParts.Targets(reader, allowRoundRobin: true);
        var timeout = reader.Duration("timeout");
        var drop = DefinitionParts.Drop(reader);
        reader.RejectUnknownKeys(DefinitionKind.Collector);
        if (plugin is null || schedule is null || targets is null)
        {
            return null;
        }

        return new CollectorDefinition(name, plugin, parameters, schedule, targets, source) { Timeout = timeout, Drop = drop };
    }
}
