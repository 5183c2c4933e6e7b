using Narada.Core.Contracts;
using Narada.Core.Yaml;

namespace Narada.Core.Definitions;

/// <summary>Which events reach a handler: by state, hard changes only, and after how many consecutive occurrences.</summary>
public sealed record HandlerFilter(IReadOnlySet<string> States, bool HardOnly, int Occurrences)
{
    /// <summary>The state names a filter may list, as results report them.</summary>
    public static IReadOnlyList<string> KnownStates { get; } = ["OK", "WARNING", "CRITICAL", "UNKNOWN"];

    /// <summary>Every state, hard changes only, from the first occurrence.</summary>
    public static HandlerFilter Default { get; } = new(new HashSet<string>(StringComparer.Ordinal), true, 1);

    /// <summary>Whether an event passes: its state is listed (or no states are), it is hard if required, and it has occurred often enough.</summary>
    public bool Allows(string state, bool hard, int occurrence) =>
        (States.Count == 0 || States.Contains(state)) && (hard || !HardOnly) && occurrence >= Occurrences;
}
