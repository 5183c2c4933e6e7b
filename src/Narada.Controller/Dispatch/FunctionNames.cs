using Narada.Controller.Scheduling;

namespace Narada.Controller.Dispatch;

/// <summary>The Gearman function names of the Narada protocol (see DESIGN.md), spelled in one place.</summary>
public static class FunctionNames
{
    /// <summary>Where agents send results and heartbeats, and anyone may push passive results.</summary>
    public const string Results = "narada.results";

    public static string ForHost(DefinitionKind kind, string host) => $"narada.{Verb(kind)}@{host}";

    public static string ForPool(DefinitionKind kind, string tag) => $"narada.{Verb(kind)}@tag:{tag}";

    public static string Facts(string host) => $"narada.facts@{host}";

    /// <summary>The unique that coalesces a definition's runs on one target: a dead agent never piles up a backlog.</summary>
    public static string Unique(DefinitionKey key, string target)
    {
        var unique = $"{key.KindName}/{key.Name}@{target}";
        if (System.Text.Encoding.UTF8.GetByteCount(unique) <= Narada.Gearman.Protocol.PacketLimits.MaxSentUniqueLength)
            return unique;
        // gearmand keeps 63 bytes of a unique: keep a readable prefix and make the rest a stable digest.
        var digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(unique)))[..16];
        return $"{unique[..Math.Min(unique.Length, 40)]}#{digest}";
    }

    private static string Verb(DefinitionKind kind) => kind switch
    {
        DefinitionKind.Check => "check",
        DefinitionKind.Collect => "collect",
        _ => "apply",
    };
}
