namespace Narada.Controller.Scheduling;

/// <summary>What the scheduler fires: one definition of one kind.</summary>
public enum DefinitionKind
{
    Check,
    Collect,
    Apply,
}

/// <summary>Names one scheduled definition; also the prefix of its Gearman unique keys (<c>check/disk-root</c>).</summary>
public readonly record struct DefinitionKey(DefinitionKind Kind, string Name)
{
    public string KindName => Kind switch
    {
        DefinitionKind.Check => "check",
        DefinitionKind.Collect => "collect",
        _ => "apply",
    };

    public override string ToString() => $"{KindName}/{Name}";
}
