using System.Text.Json.Serialization;

namespace Narada.Core.Contracts;

/// <summary>How applying one file on one host ended: what agents report, and what rollouts record and show.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ApplyOutcome>))]
public enum ApplyOutcome
{
    /// <summary>The file was (or, on a dry run, would be) written, or its mode/owner fixed.</summary>
    [JsonStringEnumMemberName("changed")]
    Changed,

    /// <summary>The file already had this content, mode and owner; nothing was touched.</summary>
    [JsonStringEnumMemberName("unchanged")]
    Unchanged,

    /// <summary>Not attempted: the path is outside the agent's apply paths, the request was invalid, or the new file did
    /// not validate; nothing was touched.</summary>
    [JsonStringEnumMemberName("refused")]
    Refused,

    /// <summary>An error stopped the apply (I/O on the host, no answer, a template that did not render); the original
    /// file is untouched.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>Written, then put back because validation or <c>on_change</c> failed.</summary>
    [JsonStringEnumMemberName("rolled_back")]
    RolledBack,

    /// <summary>Never sent: the rollout stopped before this host, or the host was asked for but is not a target.
    /// Only rollouts record it; agents never answer with it.</summary>
    [JsonStringEnumMemberName("skipped")]
    Skipped,
}

/// <summary>What the outcomes mean for a rollout.</summary>
public static class ApplyOutcomes
{
    /// <summary>The wire and display name, as the JSON envelopes spell it (<c>rolled_back</c>).</summary>
    public static string Name(this ApplyOutcome outcome) => outcome switch
    {
        ApplyOutcome.Changed => "changed",
        ApplyOutcome.Unchanged => "unchanged",
        ApplyOutcome.Refused => "refused",
        ApplyOutcome.Failed => "failed",
        ApplyOutcome.RolledBack => "rolled_back",
        ApplyOutcome.Skipped => "skipped",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "not an apply outcome"),
    };

    /// <summary>The outcome named <paramref name="name"/> as <see cref="Name"/> spells it.</summary>
    public static ApplyOutcome Parse(string name) =>
        Enum.GetValues<ApplyOutcome>().FirstOrDefault(o => o.Name() == name) is var outcome && outcome.Name() == name
            ? outcome
            : throw new FormatException($"'{name}' is not an apply outcome");

    /// <summary>True when the host did not end with the file in place: counted against a rollout's max_failures.</summary>
    public static bool IsFailure(this ApplyOutcome outcome) =>
        outcome is ApplyOutcome.Refused or ApplyOutcome.Failed or ApplyOutcome.RolledBack;
}
