namespace Narada.Agent.Configuration;

/// <summary>A place in a YAML file (1-based line and column) that an error message points at.</summary>
public readonly record struct SourcePosition(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
