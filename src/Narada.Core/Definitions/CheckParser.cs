using Narada.Core.Contracts;
using Narada.Core.Yaml;

namespace Narada.Core.Definitions;

/// <summary>Reads a <c>kind: Check</c> document.</summary>
internal static class CheckParser
{
    public static CheckDefinition? Parse(MappingReader reader, string name, DefinitionSource source)
    {
        var plugin = DefinitionParts.Plugin(reader);
        var parameters = reader.StringMap("params");
        var schedule = DefinitionParts.Schedule(reader, required: true, out _);
        var targets = DefinitionParts.Targets(reader, allowRoundRobin: true);
        var timeout = reader.Duration("timeout");
        var attempts = reader.Integer("attempts", min: 1);
        var ttl = reader.Duration("ttl");
        var handlers = reader.StringItems("handlers");
        foreach (var (text, node, path) in handlers)
        {
            reader.Document().Reference(DefinitionKind.Handler, text, node, path);
        }

        reader.RejectUnknownKeys(DefinitionKind.Check);
        if (plugin is null || schedule is null || targets is null)
        {
            return null;
        }

        return new CheckDefinition(name, plugin, parameters, schedule, targets, source)
        {
            Timeout = timeout,
            Attempts = attempts ?? 1,
            Handlers = handlers.Select(h => h.Text).ToArray(),
            Ttl = ttl ?? schedule.NominalInterval * 2,
        };
    }
}
