namespace Narada.Agent.Manifests;

/// <summary>One declared parameter of a manifest command.</summary>
public sealed record ParamSpec(string Name, ParamType Type, string? Default, bool Required, string? Description)
{
    /// <summary>Parameter names as manifests may spell them (they also appear as <c>{name}</c> placeholders).</summary>
    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 64 && (char.IsAsciiLetterLower(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');
}
