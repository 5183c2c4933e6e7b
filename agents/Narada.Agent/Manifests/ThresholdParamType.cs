using System.Globalization;
using System.Text.RegularExpressions;

namespace Narada.Agent.Manifests;

/// <summary>A Monitoring Plugins threshold: a range <c>[@][start:][end]</c> (start may be <c>~</c>) or a percentage such as <c>20%</c>.</summary>
public sealed partial class ThresholdParamType : ParamType
{
    public override string Name => "threshold";

    public override string? Check(string value, out string rendered)
    {
        rendered = value;
        if (Percentage().Match(value) is { Success: true } percent)
            return Number(percent.Groups["value"].Value) <= 100 ? null : "is not a threshold: a percentage cannot exceed 100%";
        var range = Range().Match(value);
        if (!range.Success || (range.Groups["start"].Length == 0 && range.Groups["end"].Length == 0))
            return "is not a threshold: expected [@][start:][end] (start may be ~), e.g. 10, 10:, ~:10, 10:20, @10:20, or a percentage like 20%";
        string start = range.Groups["start"].Value, end = range.Groups["end"].Value;
        if (start is not ("" or "~") && end.Length > 0 && Number(start) > Number(end))
            return $"is not a threshold: start {start} is greater than end {end}";
        return null;
    }

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<value>\d+(\.\d+)?)%$", RegexOptions.CultureInvariant)]
    private static partial Regex Percentage();

    [GeneratedRegex(@"^@?(?:(?<start>~|[+-]?\d+(?:\.\d+)?)?(?<colon>:))?(?<end>[+-]?\d+(?:\.\d+)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Range();
}
