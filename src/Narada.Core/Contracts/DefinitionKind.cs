using System.Text.Json.Serialization;

namespace Narada.Core.Contracts;

/// <summary>
/// What a definition is. One enum for the YAML <c>kind</c>, the scheduler's keys, the job envelopes' <c>kind</c> and the
/// function names: <see cref="DefinitionKinds"/> holds each kind's spellings.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<DefinitionKind>))]
public enum DefinitionKind
{
    [JsonStringEnumMemberName("check")]
    Check,

    [JsonStringEnumMemberName("collect")]
    Collector,

    [JsonStringEnumMemberName("apply")]
    Apply,

    [JsonStringEnumMemberName("handler")]
    Handler,

    [JsonStringEnumMemberName("host")]
    Host,

    [JsonStringEnumMemberName("group")]
    Group,

    [JsonStringEnumMemberName("downtime")]
    Downtime,
}
