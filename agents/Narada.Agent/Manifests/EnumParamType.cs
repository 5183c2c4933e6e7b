namespace Narada.Agent.Manifests;

/// <summary>One of a fixed list of words.</summary>
public sealed class EnumParamType(IReadOnlyList<string> values) : ParamType
{
    public override string Name => "enum";

    public IReadOnlyList<string> Values { get; } = values;

    public override string? Check(string value, out string rendered)
    {
        rendered = value;
        return Values.Contains(value, StringComparer.Ordinal) ? null : $"is not one of: {string.Join(", ", Values)}";
    }
}
