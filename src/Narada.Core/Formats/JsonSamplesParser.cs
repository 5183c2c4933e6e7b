using System.Text.Json;
using Narada.Core.Metrics;

namespace Narada.Core.Formats;

/// <summary>
/// Reads metrics printed as JSON, in one of two shapes:
/// <list type="bullet">
/// <item><c>{"metrics":[{"name":"queue_depth","value":3,"labels":{"queue":"mail"},"type":"gauge","help":"...",
/// "timestamp_ms":1700000000000}]}</c> (or just the array): only name and value are required; type is
/// gauge, counter or untyped; value may be a number or "NaN", "+Inf", "-Inf".</item>
/// <item>Any other object: every number is a gauge named by its path, nested objects joined with <c>_</c>
/// (<c>{"mem":{"free":5}}</c> → <c>mem_free</c>); true/false become 1/0; strings, nulls and arrays are skipped.</item>
/// </list>
/// Names are sanitised. Uses <see cref="JsonDocument"/> only (no reflection, NativeAOT-safe). Bad JSON or a
/// malformed metric throws <see cref="MetricFormatException"/>.
/// </summary>
public static class JsonSamplesParser
{
    private const string FormatName = "json";

    public static IReadOnlyList<Sample> Parse(string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new MetricFormatException(FormatName, (int)(e.LineNumber ?? 0) + 1, FirstSentence(e.Message));
        }
        using (document)
        {
            var root = document.RootElement;
            var samples = new List<Sample>();
            if (root.ValueKind == JsonValueKind.Array)
                ReadMetricList(root, samples);
            else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("metrics", out var list) && list.ValueKind == JsonValueKind.Array)
                ReadMetricList(list, samples);
            else if (root.ValueKind == JsonValueKind.Object)
                Flatten(root, "", samples);
            else
                throw new MetricFormatException(FormatName, $"expected an object or an array, got {root.ValueKind}");
            return samples;
        }
    }

    private static void ReadMetricList(JsonElement list, List<Sample> samples)
    {
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            samples.Add(ReadMetric(item, $"metrics[{index}]"));
            index++;
        }
    }

    private static Sample ReadMetric(JsonElement item, string where)
    {
        if (item.ValueKind != JsonValueKind.Object)
            throw new MetricFormatException(FormatName, $"{where} is not an object");
        if (!item.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String
            || nameElement.GetString() is not { Length: > 0 } name)
            throw new MetricFormatException(FormatName, $"{where} has no \"name\" string");
        if (!item.TryGetProperty("value", out var valueElement) || !TryNumber(valueElement, out var value))
            throw new MetricFormatException(FormatName, $"{where} ('{name}') has no numeric \"value\"");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (item.TryGetProperty("labels", out var labelsElement) && labelsElement.ValueKind == JsonValueKind.Object)
            foreach (var label in labelsElement.EnumerateObject())
                labels[MetricName.SanitizeLabel(label.Name)] = label.Value.ValueKind == JsonValueKind.String
                    ? label.Value.GetString() ?? "" : label.Value.GetRawText();
        var type = MetricType.Gauge;
        if (item.TryGetProperty("type", out var typeElement))
            type = typeElement.ValueKind == JsonValueKind.String ? typeElement.GetString() switch
            {
                "gauge" => MetricType.Gauge,
                "counter" => MetricType.Counter,
                "untyped" => MetricType.Untyped,
                var other => throw new MetricFormatException(FormatName, $"{where} ('{name}') has unknown type '{other}'"),
            } : throw new MetricFormatException(FormatName, $"{where} ('{name}') \"type\" is not a string");
        long? timestamp = item.TryGetProperty("timestamp_ms", out var ts) && ts.ValueKind == JsonValueKind.Number
            && ts.TryGetInt64(out var t) ? t : null;
        string? help = item.TryGetProperty("help", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString() : null;
        return new Sample(MetricName.Sanitize(name), value) { Labels = labels, Type = type, TimestampMs = timestamp, Help = help };
    }

    private static void Flatten(JsonElement obj, string prefix, List<Sample> samples)
    {
        foreach (var property in obj.EnumerateObject())
        {
            var path = prefix.Length == 0 ? property.Name : prefix + "_" + property.Name;
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.Object:
                    Flatten(property.Value, path, samples);
                    break;
                case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False when TryNumber(property.Value, out var value):
                    samples.Add(new Sample(MetricName.Join(path), value));
                    break;
            }
        }
    }

    private static bool TryNumber(JsonElement element, out double value)
    {
        value = 0;
        switch (element.ValueKind)
        {
            case JsonValueKind.Number:
                return element.TryGetDouble(out value) && double.IsFinite(value);
            case JsonValueKind.True:
                value = 1;
                return true;
            case JsonValueKind.False:
                return true;
            case JsonValueKind.String:
                return element.GetString() is { } s && s.Trim() is "NaN" or "+Inf" or "-Inf" or "Inf"
                    && PrometheusTextParser.TryParseFloat(s.Trim(), out value);
            default:
                return false;
        }
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
