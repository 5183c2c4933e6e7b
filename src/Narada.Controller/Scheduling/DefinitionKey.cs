using Narada.Core.Contracts;

namespace Narada.Controller.Scheduling;

/// <summary>Names one scheduled definition; also the prefix of its Gearman unique keys (<c>check/disk-root</c>).</summary>
public readonly record struct DefinitionKey(DefinitionKind Kind, string Name)
{
    /// <summary>The kind's verb: <c>check</c>, <c>collect</c> or <c>apply</c>.</summary>
    public string KindName => Kind.Verb();

    public override string ToString() => $"{KindName}/{Name}";

    /// <summary>Reads <c>check/disk-root</c> back; anything but a known verb and a name is an error.</summary>
    public static DefinitionKey Parse(string text)
    {
        int slash = text.IndexOf('/');
        if (slash <= 0 || slash == text.Length - 1 || !DefinitionKinds.TryParseVerb(text[..slash], out var kind))
            throw new FormatException($"'{text}' is not <check|collect|apply>/<name>");
        return new DefinitionKey(kind.Kind, text[(slash + 1)..]);
    }
}
