using System.Globalization;
using Narada.Agent.Configuration;

namespace Narada.Agent.Manifests;

/// <summary>A duration such as <c>10s</c> or <c>500ms</c>, written to argv as a whole number of the declared unit (rounded up).</summary>
public sealed class DurationParamType(bool milliseconds) : ParamType
{
    public override string Name => "duration";

    public override string? Check(string value, out string rendered)
    {
        rendered = "";
        if (!DurationText.TryParse(value, out var duration))
            return $"is not {DurationText.Expected}";
        double amount = milliseconds ? duration.TotalMilliseconds : duration.TotalSeconds;
        rendered = ((long)Math.Ceiling(amount)).ToString(CultureInfo.InvariantCulture);
        return null;
    }
}
