using System.Text.Json.Serialization;

namespace Narada.Core.Contracts;

/// <summary>Source-generated System.Text.Json metadata for every envelope: snake_case, NaN/Infinity allowed in numbers.</summary>
/// <remarks>
/// Envelope properties that may be missing use <c>set</c>, not <c>init</c>: the source generator builds objects with
/// init-only properties through one object initializer that passes <c>default</c> for every absent property, which
/// would wipe their defaults (empty lists, <c>"v": 1</c>, the type name).
/// </remarks>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(JobRequest))]
[JsonSerializable(typeof(JobResult))]
[JsonSerializable(typeof(Heartbeat))]
[JsonSerializable(typeof(PassiveResult))]
[JsonSerializable(typeof(ApplyRequest))]
[JsonSerializable(typeof(ApplyResult))]
public sealed partial class EnvelopeJsonContext : JsonSerializerContext;
