using System.Globalization;

namespace Narada.Agent.Manifests;

/// <summary>A whole number, optionally bounded.</summary>
public sealed class IntParamType(long min, long max) : ParamType
{
    public override string Name => "int";

    public override string? Check(string value, out string rendered)
    {
        rendered = "";
        if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number))
            return "is not a whole number";
        if (number < min || number > max)
            return $"is outside {min}..{max}";
        rendered = number.ToString(CultureInfo.InvariantCulture);
        return null;
    }
}
