using Narada.Core.Contracts;
using Narada.Core.Yaml;

namespace Narada.Core.Definitions;

/// <summary>Reads a <c>kind: Handler</c> document: exec or webhook, a filter and a timeout.</summary>
internal static class HandlerParser
{
    public static HandlerDefinition? Parse(MappingReader reader, string name, DefinitionSource source)
    {
        var context = reader.Context;
        var execNode = reader.Value("exec");
        var execItems = reader.StringItems("exec");
        var exec = execItems.Select(item => item.Text).ToArray();
        var webhookReader = reader.Map("webhook");
        var webhook = webhookReader is null ? null : Webhook(webhookReader);
        var filterReader = reader.Map("filter");
        var filter = filterReader is null ? HandlerFilter.Default : Filter(filterReader);
        var timeout = reader.Duration("timeout");
        var repeat = reader.Duration("repeat", min: TimeSpan.FromSeconds(1));
        var after = reader.Duration("after", min: TimeSpan.FromSeconds(1));
        reader.RejectUnknownKeys(DefinitionKind.Handler);
        if (execNode is not null && webhookReader is not null)
        {
            context.Error(reader.KeyNode("webhook")!, "webhook", "give either exec or webhook, not both");
            return null;
        }

        if (execNode is null && webhookReader is null)
        {
            reader.Missing("exec", "a command (exec: [/path/to/cmd, arg]) or a webhook (webhook: { url: ... })");
            return null;
        }

        if (webhookReader is not null && timeout is not null)
        {
            context.Error(reader.KeyNode("timeout")!, "timeout", "timeout is for exec handlers; a webhook takes webhook.timeout");
            return null;
        }

        if (execNode is not null && exec.Length == 0)
        {
            context.Error(execNode, "exec", "exec needs at least the command to run");
            return null;
        }

        if (execItems.Count > 0 && execItems[0] is var (program, node, path) && !Path.IsPathFullyQualified(program))
        {
            // No shell and no PATH search: the file that runs is the file the definition names.
            context.Error(node, path, $"'{program}' must be an absolute path (the program, with no shell)");
            return null;
        }

        if (filter is null || (webhookReader is not null && webhook is null))
        {
            return null;
        }

        var handler = new HandlerDefinition(name, filter, source)
        {
            Exec = execNode is null ? null : exec,
            Webhook = webhook,
            Repeat = repeat,
            After = after,
        };
        return timeout is { } t ? handler with { Timeout = t } : handler;
    }

    private static WebhookTarget? Webhook(MappingReader reader)
    {
        var urlNode = reader.Value("url", required: true);
        var url = urlNode is null ? null : reader.Scalar(urlNode, "webhook.url");
        var timeout = reader.Duration("timeout") ?? WebhookTarget.DefaultTimeout;
        var retries = reader.Integer("retries", min: 0) ?? WebhookTarget.DefaultRetries;
        var headers = reader.StringMap("headers");
        reader.RejectUnknownKeys("webhook");
        if (url is null)
        {
            return null;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            reader.Context.Error(urlNode!, "webhook.url", $"'{url}' is not an absolute http or https URL");
            return null;
        }

        return new WebhookTarget(uri, timeout, retries, headers);
    }

    private static HandlerFilter? Filter(MappingReader reader)
    {
        var states = new HashSet<string>(StringComparer.Ordinal);
        var failed = false;
        foreach (var (text, node, path) in reader.StringItems("states"))
        {
            var known = HandlerFilter.KnownStates.FirstOrDefault(s => string.Equals(s, text, StringComparison.OrdinalIgnoreCase));
            if (known is null)
            {
                reader.Context.Error(node, path, $"unknown state '{text}' (states: OK, WARNING, CRITICAL, UNKNOWN)", NearestName.Find(text.ToUpperInvariant(), HandlerFilter.KnownStates));
                failed = true;
            }
            else
            {
                states.Add(known);
            }
        }

        var hardOnly = reader.Boolean("hard_only") ?? HandlerFilter.Default.HardOnly;
        var occurrences = reader.Integer("occurrences", min: 1) ?? HandlerFilter.Default.Occurrences;
        reader.RejectUnknownKeys("filter");
        return failed ? null : new HandlerFilter(states, hardOnly, occurrences);
    }
}
