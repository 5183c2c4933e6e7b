namespace Narada.Agent.Manifests;

/// <summary>The rule a parameter value must satisfy before it may reach argv, and how it is written there.</summary>
public abstract class ParamType
{
    /// <summary>The manifest's name for the type, e.g. <c>threshold</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Checks <paramref name="value"/>; returns null and the text to put in argv, or the rule it breaks.</summary>
    public abstract string? Check(string value, out string rendered);

    /// <summary>Applies to every type: a NUL cannot be passed in argv, and control characters have no business there.</summary>
    protected static string? CommonProblem(string value) =>
        value.Any(c => char.IsControl(c) && c != '\t') ? "contains a control character" : null;
}
