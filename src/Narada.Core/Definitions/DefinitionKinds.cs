namespace Narada.Core.Definitions;

/// <summary>The values of a document's <c>kind</c> key.</summary>
public static class DefinitionKinds
{
    public const string Check = "Check";
    public const string Collector = "Collector";
    public const string Apply = "Apply";
    public const string Handler = "Handler";
    public const string Host = "Host";
    public const string Group = "Group";

    public static IReadOnlyList<string> All { get; } = [Check, Collector, Apply, Handler, Host, Group];
}
