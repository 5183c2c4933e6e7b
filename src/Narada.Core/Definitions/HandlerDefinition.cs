using Narada.Core.Contracts;
using Narada.Core.Yaml;

namespace Narada.Core.Definitions;

/// <summary>What runs when a check changes hard state: a command (event JSON on stdin) or a webhook (JSON POST).</summary>
public sealed record HandlerDefinition(string Name, HandlerFilter Filter, DefinitionSource Source)
{
    /// <summary>The command as argv (no shell); null for a webhook handler.</summary>
    public IReadOnlyList<string>? Exec { get; init; }

    /// <summary>The webhook; null for an exec handler.</summary>
    public WebhookTarget? Webhook { get; init; }

    /// <summary>How long the command may run before it is killed.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>While a problem stays hard and nobody acknowledged it: run again this often; null: once.</summary>
    public TimeSpan? Repeat { get; init; }

    /// <summary>Run only for a problem that has lasted this long (escalation), and for its recovery only if it ran
    /// for the problem; null: at once.</summary>
    public TimeSpan? After { get; init; }
}
