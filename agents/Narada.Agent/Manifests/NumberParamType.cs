using System.Globalization;

namespace Narada.Agent.Manifests;

/// <summary>A decimal number (no exponent, no NaN or infinity), optionally bounded.</summary>
public sealed class NumberParamType(double min, double max) : ParamType
{
    public override string Name => "number";

    public override string? Check(string value, out string rendered)
    {
        rendered = "";
        if (!double.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double number)
            || !double.IsFinite(number))
            return "is not a decimal number";
        if (number < min || number > max)
            return $"is outside {min.ToString(CultureInfo.InvariantCulture)}..{max.ToString(CultureInfo.InvariantCulture)}";
        rendered = number.ToString("R", CultureInfo.InvariantCulture);
        return null;
    }
}
