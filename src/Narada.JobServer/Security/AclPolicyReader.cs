using Narada.Core.Yaml;

namespace Narada.JobServer.Security;

/// <summary>
/// Reads an ACL file:
/// <code>
/// rules:
///   - identity: controller            # CN or SAN DNS name (globs), "*" any certificate, "anonymous" no certificate
///     submit: ["narada.*"]
///     register: ["narada.results"]
///     admin: [read, write]             # or command names: status, "cancel job", ...
///   - identity: "*"
///     register: ["narada.*@{cn}"]      # {cn}: the connection's own name
///     submit: ["narada.results"]
/// </code>
/// Every problem is reported with its position; a file with any is refused whole.
/// </summary>
public static class AclPolicyReader
{
    public static AclPolicy Read(string path)
    {
        var source = new YamlSource(path);
        if (source.ReadText() is not { } text)
            throw new AclPolicyException(string.Join("\n", source.Errors));
        return Parse(text, path);
    }

    public static AclPolicy Parse(string yaml, string origin = "acl")
    {
        var (source, root) = YamlSource.Parse(yaml, origin);
        var rules = new List<AclRule>();
        if (root is not null && MappingReader.For(root, "", source) is { } top)
        {
            if (top.Sequence("rules", required: true) is { } list)
                for (int i = 0; i < list.Children.Count; i++)
                    if (MappingReader.For(list.Children[i], $"rules[{i}]", source) is { } rule && ParseRule(rule, origin) is { } parsed)
                        rules.Add(parsed);
            top.RejectUnknownKeys("an ACL file");
        }
        if (source.ErrorCount > 0)
            throw new AclPolicyException(string.Join("\n", source.Errors));
        return new AclPolicy(rules);
    }

    private static AclRule? ParseRule(MappingReader rule, string origin)
    {
        var identities = rule.OneOrMany("identity").Select(i => i.Text).ToList();
        if (identities.Count == 0 && rule.Value("identity") is null)
            rule.Context.Error(rule.Node, rule.Path, "a rule needs an identity (a certificate name, \"*\" or \"anonymous\")");
        var parsed = new AclRule
        {
            Identities = identities,
            Register = Patterns(rule, "register"),
            Submit = Patterns(rule, "submit"),
            Unique = Patterns(rule, "unique"),
            Admin = Patterns(rule, "admin"),
            Origin = $"{origin}:{rule.Node.Start.Line}",
        };
        rule.RejectUnknownKeys("an ACL rule");
        return identities.Count > 0 ? parsed : null;
    }

    private static FunctionPattern[] Patterns(MappingReader rule, string key)
    {
        var patterns = new List<FunctionPattern>();
        foreach (var (text, node, path) in rule.OneOrMany(key))
        {
            try
            {
                patterns.Add(FunctionPattern.Parse(text));
            }
            catch (FormatException e)
            {
                rule.Context.Error(node, path, e.Message);
            }
        }
        return patterns.ToArray();
    }
}
