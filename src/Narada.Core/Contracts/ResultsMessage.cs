using System.Text.Json;

namespace Narada.Core.Contracts;

/// <summary>The kinds of message that arrive on <c>narada.results</c>.</summary>
public enum ResultsMessageType
{
    Result,
    Heartbeat,
    Passive,
    Apply,
}

/// <summary>Tells apart what arrives on <c>narada.results</c> by its top-level <c>"type"</c> and parses it.</summary>
public static class ResultsMessage
{
    /// <summary>Reads only the top-level <c>"type"</c>; throws <see cref="EnvelopeException"/> when it is missing or unknown.</summary>
    public static ResultsMessageType TypeOf(ReadOnlySpan<byte> utf8Json)
    {
        var type = FindType(utf8Json) ?? throw new EnvelopeException("narada.results", "no top-level \"type\" string");
        return type switch
        {
            JobResult.TypeName => ResultsMessageType.Result,
            Heartbeat.TypeName => ResultsMessageType.Heartbeat,
            PassiveResult.TypeName => ResultsMessageType.Passive,
            ApplyResult.TypeName => ResultsMessageType.Apply,
            _ => throw new EnvelopeException("narada.results", $"type '{type}' is not result, heartbeat, passive or apply"),
        };
    }

    /// <summary>The message as a <see cref="JobResult"/>, <see cref="Heartbeat"/>, <see cref="PassiveResult"/> or <see cref="ApplyResult"/>.</summary>
    public static IEnvelope Parse(ReadOnlySpan<byte> utf8Json) => TypeOf(utf8Json) switch
    {
        ResultsMessageType.Result => Envelope.Parse<JobResult>(utf8Json),
        ResultsMessageType.Heartbeat => Envelope.Parse<Heartbeat>(utf8Json),
        ResultsMessageType.Apply => Envelope.Parse<ApplyResult>(utf8Json),
        _ => Envelope.Parse<PassiveResult>(utf8Json),
    };

    private static string? FindType(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { AllowTrailingCommas = true });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw new EnvelopeException("narada.results", "the message is not a JSON object");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isType = reader.ValueTextEquals("type"u8);
                reader.Read();
                if (isType)
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }
            return null;
        }
        catch (JsonException e)
        {
            throw new EnvelopeException("narada.results", e.Message, e);
        }
        catch (InvalidOperationException e)
        {
            throw new EnvelopeException("narada.results", e.Message, e);
        }
    }
}
