namespace Narada.Controller.Rendering;

/// <summary>What a template sees for one host: its name and tags, and variables layered defaults &lt; groups &lt; host &lt; facts.</summary>
/// <remarks>
/// Values are scalars, lists, and maps (any <see cref="System.Collections.IDictionary"/> or
/// <c>IReadOnlyDictionary&lt;string, object?&gt;</c>, as YAML and JSON loaders produce). Maps merge key by key at
/// every depth; a list or scalar in a higher layer replaces the lower one whole.
/// </remarks>
public sealed record TemplateVariables
{
    private static readonly IReadOnlyDictionary<string, object?> None = new Dictionary<string, object?>();

    public required string HostName { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The Apply definition's defaults: the lowest layer.</summary>
    public IReadOnlyDictionary<string, object?> Defaults { get; init; } = None;

    /// <summary>Variables of the host's groups, lowest precedence first.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, object?>> GroupVars { get; init; } = [];

    public IReadOnlyDictionary<string, object?> HostVars { get; init; } = None;

    /// <summary>Facts the agent reported, nested: the highest layer, and also exposed on their own as <c>facts</c>.</summary>
    public IReadOnlyDictionary<string, object?> Facts { get; init; } = None;

    /// <summary>All layers deep-merged, highest precedence winning; the result shares nothing with the inputs.</summary>
    public IReadOnlyDictionary<string, object?> Merged()
    {
        var merged = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var layer in (IEnumerable<IReadOnlyDictionary<string, object?>>)[Defaults, .. GroupVars, HostVars, Facts])
            MergeInto(merged, VariableValue.Entries(layer));
        return merged;
    }

    private static void MergeInto(Dictionary<string, object?> target, IEnumerable<KeyValuePair<string, object?>> layer)
    {
        foreach (var (key, value) in layer)
        {
            if (VariableValue.IsMap(value) && target.TryGetValue(key, out var existing) && existing is Dictionary<string, object?> nested)
                MergeInto(nested, VariableValue.Entries(value!));
            else
                target[key] = VariableValue.Copy(value);
        }
    }
}
