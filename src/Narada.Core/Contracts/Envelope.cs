using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Narada.Core.Contracts;

/// <summary>
/// Reads and writes envelopes through the source-generated <see cref="EnvelopeJsonContext"/> (no reflection,
/// NativeAOT-safe). Unknown fields are ignored; anything else wrong throws <see cref="EnvelopeException"/> and
/// nothing else.
/// </summary>
public static class Envelope
{
    /// <summary>The only envelope version this build understands.</summary>
    public const int Version = 1;

    public static T Parse<T>(ReadOnlySpan<byte> utf8Json) where T : class, IEnvelope
    {
        var info = TypeInfo<T>();
        T? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize(utf8Json, info);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new EnvelopeException(typeof(T).Name, Describe(e), e);
        }
        if (envelope is null)
            throw new EnvelopeException(typeof(T).Name, "the payload is JSON null");
        if (envelope.V != Version)
            throw new EnvelopeException(typeof(T).Name, $"version {envelope.V} is not supported (this build reads v {Version})");
        if (envelope.FindProblem() is { } problem)
            throw new EnvelopeException(typeof(T).Name, problem);
        return envelope;
    }

    /// <summary>UTF-8 JSON for <paramref name="envelope"/>, snake_case, nulls left out.</summary>
    public static byte[] Serialize<T>(T envelope) where T : class, IEnvelope =>
        JsonSerializer.SerializeToUtf8Bytes(envelope, TypeInfo<T>());

    private static JsonTypeInfo<T> TypeInfo<T>() =>
        EnvelopeJsonContext.Default.GetTypeInfo(typeof(T)) as JsonTypeInfo<T>
        ?? throw new InvalidOperationException($"{typeof(T).Name} is not registered in {nameof(EnvelopeJsonContext)}");

    // JsonException messages carry the JSON path and position, which is what a sender needs to fix the payload.
    private static string Describe(Exception e) => e.Message;
}
