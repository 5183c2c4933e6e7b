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

        var retryEvery = reader.Duration("retry_every");
        var dependsOn = Dependencies(reader);
        var drop = DefinitionParts.Drop(reader);
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
            RetryEvery = retryEvery,
            DependsOn = dependsOn,
            Drop = drop,
        };
    }

    /// <summary><c>depends_on:</c> a list of <c>{check: C, host: H}</c> (host optional: the same host) or <c>{host: H}</c>.</summary>
    private static IReadOnlyList<Dependency> Dependencies(MappingReader reader)
    {
        var list = new List<Dependency>();
        if (reader.Sequence("depends_on") is not { } items)
        {
            return list;
        }

        for (int i = 0; i < items.Children.Count; i++)
        {
            var path = $"depends_on[{i}]";
            if (MappingReader.For(items.Children[i], path, reader.Context) is not { } item)
            {
                continue;
            }

            var check = item.String("check");
            var host = item.String("host");
            item.RejectUnknownKeys("a dependency");
            if (check is null && host is null)
            {
                reader.Context.Error(items.Children[i], path, "a dependency names a check (check: ping, host: switch01) or a host (host: router01)");
                continue;
            }

            if (check is not null)
            {
                reader.Document().Reference(DefinitionKind.Check, check, item.Value("check")!, $"{path}.check");
            }

            list.Add(new Dependency(check, host));
        }

        return list;
    }
}
