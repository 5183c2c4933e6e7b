using System.Globalization;
using Narada.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace Narada.Agent.Manifests;

/// <summary>Reads one entry of a command's <c>params</c> mapping, checking that its default obeys its own type.</summary>
internal static class ParamReader
{
    public static readonly string[] TypeNames = ["string", "int", "number", "threshold", "duration", "path", "enum"];

    /// <summary>The spec, or null with the problems recorded in <paramref name="source"/>.</summary>
    public static ParamSpec? Read(string name, YamlScalarNode key, YamlNode value, string path, YamlSource source)
    {
        if (!ParamSpec.IsValidName(name))
        {
            source.Error(key, path, $"'{name}' is not a valid parameter name (lower-case letters, digits and '_', not starting with a digit)");
            return null;
        }
        // `p:` with nothing after it is a string parameter with no default.
        var reader = YamlText.IsNull(value) ? null : MappingReader.For(value, path, source);
        if (reader is null)
            return YamlText.IsNull(value) ? new ParamSpec(name, new StringParamType(null, StringParamType.DefaultMaxLength), null, false, null) : null;

        int errorsBefore = source.ErrorCount;
        var typeName = reader.String("type") ?? "string";
        if (!TypeNames.Contains(typeName))
        {
            source.Error(reader.Value("type")!, reader.PathOf("type"), $"unknown parameter type '{typeName}' (types: {string.Join(", ", TypeNames)})",
                NearestName.Find(typeName, TypeNames));
            return null;
        }
        var type = BuildType(typeName, reader);
        var defaultValue = reader.String("default");
        var required = reader.Boolean("required") ?? false;
        var description = reader.String("description");
        reader.RejectUnknownKeys($"a parameter of type {typeName}");
        if (type is not null && defaultValue is not null && type.Check(defaultValue, out _) is { } problem)
            source.Error(reader.Value("default")!, reader.PathOf("default"), $"default '{defaultValue}' {problem}");
        return type is null || source.ErrorCount != errorsBefore ? null : new ParamSpec(name, type, defaultValue, required, description);
    }

    private static ParamType? BuildType(string typeName, MappingReader reader)
    {
        switch (typeName)
        {
            case "string":
                var pattern = reader.String("pattern");
                int maxLength = reader.Integer("max_length", min: 1, max: 65536) ?? StringParamType.DefaultMaxLength;
                try
                {
                    return new StringParamType(pattern is null ? null : StringParamType.CompilePattern(pattern), maxLength);
                }
                catch (ArgumentException e)
                {
                    reader.Context.Error(reader.Value("pattern")!, reader.PathOf("pattern"), $"pattern is not a valid regular expression: {e.Message}");
                    return null;
                }
            case "int":
                return new IntParamType(Bound(reader, "min", long.MinValue, long.Parse), Bound(reader, "max", long.MaxValue, long.Parse));
            case "number":
                return new NumberParamType(Bound(reader, "min", double.MinValue, double.Parse), Bound(reader, "max", double.MaxValue, double.Parse));
            case "duration":
                var unit = reader.String("unit") ?? "s";
                if (unit is "s" or "ms")
                    return new DurationParamType(unit == "ms");
                reader.Context.Error(reader.Value("unit")!, reader.PathOf("unit"), $"unit '{unit}' must be s or ms (how the value is written to argv)");
                return null;
            case "enum":
                var values = reader.StringList("values");
                if (values.Count > 0)
                    return new EnumParamType(values);
                reader.Context.Error(reader.Node, reader.Path, "an enum parameter needs a non-empty 'values' list");
                return null;
            case "path":
                return new PathParamType();
            case "threshold":
                return new ThresholdParamType();
            default:
                throw new InvalidOperationException($"parameter type '{typeName}' has no reader");
        }
    }

    private static T Bound<T>(MappingReader reader, string key, T fallback, Func<string, IFormatProvider, T> parse)
    {
        if (reader.Value(key) is not { } node || reader.Scalar(node, reader.PathOf(key)) is not { } text)
            return fallback;
        try
        {
            return parse(text, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            reader.Context.Error(node, reader.PathOf(key), $"'{text}' is not a number");
            return fallback;
        }
    }
}
