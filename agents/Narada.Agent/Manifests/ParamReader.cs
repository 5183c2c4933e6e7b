using System.Globalization;
using Narada.Agent.Configuration;

namespace Narada.Agent.Manifests;

/// <summary>Reads one entry of a command's <c>params</c> mapping, checking that its default obeys its own type.</summary>
internal static class ParamReader
{
    public static readonly string[] TypeNames = ["string", "int", "number", "threshold", "duration", "path", "enum"];

    private static readonly string[] CommonKeys = ["type", "default", "required", "description"];

    public static ParamSpec Read(string name, YamlCursor cursor)
    {
        if (!ParamSpec.IsValidName(name))
            throw cursor.Error($"'{name}' is not a valid parameter name (lower-case letters, digits and '_', not starting with a digit)");
        var typeName = cursor.MappingEntries().TryGetValue("type", out var t) ? t.RequiredText() : "string";
        if (!TypeNames.Contains(typeName))
            throw t!.Error($"unknown parameter type '{typeName}'{NearestName.Hint(typeName, TypeNames)}; expected one of: {string.Join(", ", TypeNames)}");
        string[] extraKeys = typeName switch
        {
            "string" => ["pattern", "max_length"],
            "int" or "number" => ["min", "max"],
            "duration" => ["unit"],
            "enum" => ["values"],
            _ => [],
        };
        var keys = cursor.Mapping([.. CommonKeys, .. extraKeys]);
        var type = BuildType(typeName, keys, cursor);
        string? defaultValue = keys.TryGetValue("default", out var d) ? d.Text() : null;
        if (defaultValue is not null && type.Check(defaultValue, out _) is { } problem)
            throw d!.Error($"default '{defaultValue}' {problem}");
        return new ParamSpec(
            name,
            type,
            defaultValue,
            keys.TryGetValue("required", out var r) && r.Bool(),
            keys.TryGetValue("description", out var desc) ? desc.Text() : null);
    }

    private static ParamType BuildType(string typeName, IReadOnlyDictionary<string, YamlCursor> keys, YamlCursor cursor)
    {
        switch (typeName)
        {
            case "string":
                var pattern = keys.TryGetValue("pattern", out var p) ? p.RequiredText() : null;
                int maxLength = keys.TryGetValue("max_length", out var m) ? m.Int(1, 65536) : StringParamType.DefaultMaxLength;
                try
                {
                    return new StringParamType(pattern is null ? null : StringParamType.CompilePattern(pattern), maxLength);
                }
                catch (ArgumentException e)
                {
                    throw p!.Error($"pattern is not a valid regular expression: {e.Message}");
                }
            case "int":
                return new IntParamType(Bound(keys, "min", long.MinValue, long.Parse), Bound(keys, "max", long.MaxValue, long.Parse));
            case "number":
                return new NumberParamType(Bound(keys, "min", double.MinValue, double.Parse), Bound(keys, "max", double.MaxValue, double.Parse));
            case "duration":
                var unit = keys.TryGetValue("unit", out var u) ? u.RequiredText() : "s";
                return unit is "s" or "ms" ? new DurationParamType(unit == "ms") : throw u!.Error($"unit '{unit}' must be s or ms (how the value is written to argv)");
            case "enum":
                var values = keys.TryGetValue("values", out var v) ? v.TextList() : [];
                return values.Count > 0 ? new EnumParamType(values) : throw cursor.Error("an enum parameter needs a non-empty 'values' list");
            case "path":
                return new PathParamType();
            default:
                return new ThresholdParamType();
        }
    }

    private static T Bound<T>(IReadOnlyDictionary<string, YamlCursor> keys, string key, T fallback, Func<string, IFormatProvider, T> parse)
    {
        if (!keys.TryGetValue(key, out var cursor))
            return fallback;
        var text = cursor.RequiredText();
        try
        {
            return parse(text, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw cursor.Error($"'{text}' is not a number");
        }
    }
}
