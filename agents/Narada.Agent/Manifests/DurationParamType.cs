using System.Globalization;
using Narada.Core.Definitions;

namespace Narada.Agent.Manifests;

/// <summary>A duration such as <c>10s</c>, <c>500ms</c> or <c>1m30s</c> (the definitions' grammar), written to argv as a whole number of the declared unit (rounded up).</summary>
public sealed class DurationParamType(bool milliseconds) : ParamType
{
    public override string Name => "duration";

    public override string? Check(string value, out string rendered)
    {
        rendered = "";
        if (!Duration.TryParse(value, out var duration, out var reason))
            return $"is not a duration: {reason}";
        double amount = milliseconds ? duration.TotalMilliseconds : duration.TotalSeconds;
        rendered = ((long)Math.Ceiling(amount)).ToString(CultureInfo.InvariantCulture);
        return null;
    }
}
