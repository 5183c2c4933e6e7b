using Narada.Core.Contracts;
using Narada.Core.Yaml;

namespace Narada.Core.Definitions;

/// <summary>Reads <c>kind: Host</c> and <c>kind: Group</c> documents.</summary>
internal static class HostParser
{
    public static HostDefinition ParseHost(MappingReader reader, string name, DefinitionSource source)
    {
        var tags = DefinitionParts.Names(reader, "tags", "tag");
        var vars = reader.Vars("vars");
        var groups = reader.StringItems("groups");
        foreach (var (text, node, path) in groups)
        {
            reader.Document().Reference(DefinitionKind.Group, text, node, path);
        }

        reader.RejectUnknownKeys(DefinitionKind.Host);
        return new HostDefinition(name, tags, vars, groups.Select(g => g.Text).ToArray(), source);
    }

    public static GroupDefinition ParseGroup(MappingReader reader, string name, DefinitionSource source)
    {
        var tags = DefinitionParts.Names(reader, "tags", "tag");
        var vars = reader.Vars("vars");
        var hosts = DefinitionParts.Names(reader, "hosts", "host name");
        reader.RejectUnknownKeys(DefinitionKind.Group);
        return new GroupDefinition(name, tags, vars, hosts, source);
    }
}
