using System.Text.Json.Serialization;

namespace Narada.Core.Envelopes;

/// <summary>How applying one file ended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ApplyOutcome>))]
public enum ApplyOutcome
{
    [JsonStringEnumMemberName("changed")]
    Changed,

    [JsonStringEnumMemberName("unchanged")]
    Unchanged,

    /// <summary>Not attempted: the path is outside the agent's apply paths, or the request was invalid.</summary>
    [JsonStringEnumMemberName("refused")]
    Refused,

    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>Written, then put back because validation or <c>on_change</c> failed.</summary>
    [JsonStringEnumMemberName("rolled_back")]
    RolledBack,
}
