using System.Text.Json.Serialization;

namespace Narada.Core.Envelopes;

/// <summary>What an agent is asked to run: a check (status) or a collector (samples).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobKind>))]
public enum JobKind
{
    [JsonStringEnumMemberName("check")]
    Check,

    [JsonStringEnumMemberName("collect")]
    Collect,
}
