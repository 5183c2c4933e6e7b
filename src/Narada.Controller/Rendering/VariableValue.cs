using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace Narada.Controller.Rendering;

/// <summary>The shapes a template variable can take, read uniformly from YAML-, JSON- and code-built values.</summary>
public static class VariableValue
{
    /// <summary>Whether <paramref name="value"/> is a map (merged key by key) rather than a scalar or list.</summary>
    public static bool IsMap(object? value) =>
        value is IDictionary or IReadOnlyDictionary<string, object?> || value is JsonElement { ValueKind: JsonValueKind.Object };

    /// <summary>The entries of a map, keys as strings.</summary>
    public static IEnumerable<KeyValuePair<string, object?>> Entries(object map) => map switch
    {
        IReadOnlyDictionary<string, object?> typed => typed,
        IDictionary untyped => UntypedEntries(untyped),
        JsonElement { ValueKind: JsonValueKind.Object } json => json.EnumerateObject()
            .Select(p => KeyValuePair.Create(p.Name, (object?)p.Value)),
        _ => throw new ArgumentException($"{map.GetType().Name} is not a map", nameof(map)),
    };

    // IDictionary's own enumerator yields DictionaryEntry; a generic dictionary's IEnumerable would yield KeyValuePair.
    private static IEnumerable<KeyValuePair<string, object?>> UntypedEntries(IDictionary map)
    {
        var entries = map.GetEnumerator();
        while (entries.MoveNext())
            yield return KeyValuePair.Create(Convert.ToString(entries.Key, CultureInfo.InvariantCulture) ?? "", entries.Value);
    }

    /// <summary>A deep copy in plain form: maps as <c>Dictionary&lt;string, object?&gt;</c>, lists as <c>List&lt;object?&gt;</c>, JSON as .NET scalars.</summary>
    public static object? Copy(object? value)
    {
        if (IsMap(value))
            return Entries(value!).ToDictionary(e => e.Key, e => Copy(e.Value), StringComparer.Ordinal);
        return value switch
        {
            JsonElement json => FromJson(json),
            string text => text,
            IEnumerable list => list.Cast<object?>().Select(Copy).ToList(),
            _ => value,
        };
    }

    private static object? FromJson(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.Array => json.EnumerateArray().Select(e => Copy(e)).ToList(),
        JsonValueKind.String => json.GetString(),
        JsonValueKind.Number => json.TryGetInt64(out var whole) ? whole : (object)json.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
