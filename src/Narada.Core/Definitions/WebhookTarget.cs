using Narada.Core.Contracts;
using Narada.Core.Yaml;

namespace Narada.Core.Definitions;

/// <summary>Where a webhook handler POSTs its event JSON, and how hard it tries.</summary>
public sealed record WebhookTarget(Uri Url, TimeSpan Timeout, int Retries, IReadOnlyDictionary<string, string> Headers)
{
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(5);

    public const int DefaultRetries = 2;
}
