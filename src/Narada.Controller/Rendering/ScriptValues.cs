using Scriban.Runtime;

namespace Narada.Controller.Rendering;

/// <summary>Turns plain variable trees into Scriban objects, so templates read maps with dots and lists with for.</summary>
internal static class ScriptValues
{
    public static ScriptObject Object(IEnumerable<KeyValuePair<string, object?>> entries)
    {
        var script = new ScriptObject(StringComparer.Ordinal);
        foreach (var (key, value) in entries)
            script.SetValue(key, FromPlain(VariableValue.Copy(value)), readOnly: false);
        return script;
    }

    private static object? FromPlain(object? plain) => plain switch
    {
        Dictionary<string, object?> map => ObjectFromPlain(map),
        List<object?> list => new ScriptArray(list.Select(FromPlain)),
        _ => plain,
    };

    private static ScriptObject ObjectFromPlain(Dictionary<string, object?> map)
    {
        var script = new ScriptObject(StringComparer.Ordinal);
        foreach (var (key, value) in map)
            script.SetValue(key, FromPlain(value), readOnly: false);
        return script;
    }
}
