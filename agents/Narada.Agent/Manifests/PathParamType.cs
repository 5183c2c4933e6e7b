namespace Narada.Agent.Manifests;

/// <summary>An absolute file system path, normalised (no <c>.</c>, <c>..</c> or doubled slashes) before it reaches argv.</summary>
public sealed class PathParamType : ParamType
{
    private const int MaxLength = 4096;

    public override string Name => "path";

    public override string? Check(string value, out string rendered)
    {
        rendered = "";
        if (CommonProblem(value) is { } problem)
            return problem;
        if (!value.StartsWith('/'))
            return "is not an absolute path (must start with /)";
        if (value.Length > MaxLength)
            return $"is longer than {MaxLength} characters";
        rendered = Path.GetFullPath(value);
        if (rendered.Length > 1)
            rendered = rendered.TrimEnd('/');
        return null;
    }
}
