using Narada.Core.Formats;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

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
/// </summary>
public static class AclPolicyReader
{
    private static readonly string[] RuleKeys = ["identity", "register", "submit", "unique", "admin"];

    public static AclPolicy Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AclPolicyException($"{path}: cannot read the ACL file: {e.Message}", e);
        }
        return Parse(text, path);
    }

    public static AclPolicy Parse(string yaml, string origin = "acl")
    {
        YamlStream stream;
        try
        {
            stream = YamlLoader.Load(yaml);
        }
        catch (YamlSyntaxException e)
        {
            throw new AclPolicyException($"{origin}:{e.Start.Line}:{e.Start.Column}: {e.Message}", e);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new AclPolicyException($"{origin}: expected a mapping with a 'rules' list");
        foreach (var key in root.Children.Keys)
            if (Scalar(key, origin) != "rules")
                throw Error(origin, key, $"unknown key '{Scalar(key, origin)}' (expected 'rules')");
        if (!root.Children.TryGetValue(new YamlScalarNode("rules"), out var rulesNode) || rulesNode is not YamlSequenceNode rules)
            throw new AclPolicyException($"{origin}: 'rules' must be a list of rules");
        return new AclPolicy(rules.Children.Select(node => ParseRule(node, origin)).ToArray());
    }

    private static AclRule ParseRule(YamlNode node, string origin)
    {
        if (node is not YamlMappingNode map)
            throw Error(origin, node, "a rule must be a mapping with identity, register, submit, admin");
        foreach (var key in map.Children.Keys)
        {
            var name = Scalar(key, origin);
            if (!RuleKeys.Contains(name))
                throw Error(origin, key, $"unknown key '{name}' (expected one of {string.Join(", ", RuleKeys)})");
        }
        var identities = List(map, "identity", origin);
        if (identities.Count == 0)
            throw Error(origin, node, "a rule needs an identity (a certificate name, \"*\" or \"anonymous\")");
        return new AclRule
        {
            Identities = identities,
            Register = Patterns(map, "register", origin),
            Submit = Patterns(map, "submit", origin),
            Unique = Patterns(map, "unique", origin),
            Admin = Patterns(map, "admin", origin),
            Origin = $"{origin}:{node.Start.Line}",
        };
    }

    private static FunctionPattern[] Patterns(YamlMappingNode map, string key, string origin)
    {
        var node = map.Children.TryGetValue(new YamlScalarNode(key), out var n) ? n : null;
        try
        {
            return List(map, key, origin).Select(FunctionPattern.Parse).ToArray();
        }
        catch (FormatException e)
        {
            throw Error(origin, node!, $"{key}: {e.Message}");
        }
    }

    private static List<string> List(YamlMappingNode map, string key, string origin)
    {
        if (!map.Children.TryGetValue(new YamlScalarNode(key), out var node))
            return [];
        return node switch
        {
            YamlScalarNode scalar => [Scalar(scalar, origin)],
            YamlSequenceNode sequence => sequence.Children.Select(item => Scalar(item, origin)).ToList(),
            _ => throw Error(origin, node, $"'{key}' must be a string or a list of strings"),
        };
    }

    private static string Scalar(YamlNode node, string origin) =>
        node is YamlScalarNode { Value: { Length: > 0 } value } ? value : throw Error(origin, node, "expected a non-empty string");

    private static AclPolicyException Error(string origin, YamlNode node, string message) =>
        new($"{origin}:{node.Start.Line}:{node.Start.Column}: {message}");
}
