using System.Text.Json.Serialization;

namespace Narada.Controller.Handlers;

/// <summary>What a handler receives (as JSON on stdin, or as a webhook body) when a check changes state.</summary>
public sealed record HandlerEvent(
    [property: JsonPropertyName("event")] string Event,
    [property: JsonPropertyName("check")] string Check,
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("previous_state")] string PreviousState,
    [property: JsonPropertyName("state_type")] string StateType,
    [property: JsonPropertyName("attempt")] int Attempt,
    [property: JsonPropertyName("output")] string Output,
    [property: JsonPropertyName("at")] DateTimeOffset At)
{
    [JsonPropertyName("v")]
    public int V => 1;

    [JsonPropertyName("tags")]
    public IReadOnlyCollection<string> Tags { get; init; } = [];

    [JsonPropertyName("flapping")]
    public bool Flapping { get; init; }

    /// <summary>Which notification of this problem it is: 1 at the hard change (or the escalation), then 2, 3, … for
    /// repeats (Nagios' NOTIFICATIONNUMBER).</summary>
    [JsonPropertyName("notification")]
    public int Notification { get; init; } = 1;

    /// <summary>What the check's hooks printed with this result (diagnostics the agent ran right after it).</summary>
    [JsonPropertyName("hooks")]
    public IReadOnlyList<Narada.Core.Contracts.HookOutput> Hooks { get; init; } = [];
}

[JsonSerializable(typeof(HandlerEvent))]
[JsonSourceGenerationOptions(WriteIndented = false)]
internal sealed partial class HandlerJsonContext : JsonSerializerContext;
