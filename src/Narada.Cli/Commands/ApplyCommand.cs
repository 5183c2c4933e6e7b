using System.CommandLine;
using System.Text.Json;
using Narada.Controller.Rollouts;
using Narada.Core.Contracts;
using Spectre.Console;

namespace Narada.Cli.Commands;

/// <summary>
/// <c>narada apply NAME</c>: asks the controller to roll an Apply out (or preview it with --dry-run) and shows each
/// host's outcome as it lands; a progress bar on a terminal, plain lines otherwise. Exit 1 when any host failed.
/// </summary>
internal static class ApplyCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The Apply definition to roll out." };
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "Show each host's diff; change nothing." };
        var hosts = new Option<string?>("--hosts") { Description = "Only these hosts (comma separated)." };
        var tags = new Option<string?>("--tags") { Description = "Only hosts with all these tags (comma separated)." };
        var batch = new Option<string?>("--batch") { Description = "Hosts per batch: a number or a percentage (overrides the definition)." };
        var url = ControllerHttp.UrlOption();
        var tls = new ControllerHttp.ClientOptions();
        var json = new Option<bool>("--json") { Description = "Print the rollout's events as JSON lines." };
        var command = new Command("apply", "Roll an Apply's files out to its hosts, a batch at a time.\n\nExamples:\n" +
            "  narada apply motd --dry-run\n  narada apply nginx --tags web --batch 2")
        {
            name, dryRun, hosts, tags, batch, url, json,
        };
        tls.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var query = $"dry_run={(parse.GetValue(dryRun) ? "true" : "false")}" +
                (parse.GetValue(hosts) is { } h ? $"&hosts={Uri.EscapeDataString(h)}" : "") +
                (parse.GetValue(tags) is { } t ? $"&tags={Uri.EscapeDataString(t)}" : "") +
                (parse.GetValue(batch) is { } b ? $"&batch={Uri.EscapeDataString(b)}" : "");
            var baseUri = ControllerHttp.BaseAddress(parse.GetValue(url)!);
            using var http = tls.Client(parse, "apply", baseUri, Timeout.InfiniteTimeSpan);
            if (http is null)
                return 2;
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"api/apply/{Uri.EscapeDataString(parse.GetValue(name)!)}?{query}"),
                    HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                if (response.StatusCode is System.Net.HttpStatusCode.Forbidden or System.Net.HttpStatusCode.Unauthorized
                    or System.Net.HttpStatusCode.TooManyRequests)
                {
                    await Console.Error.WriteLineAsync($"narada apply: the controller refused: {await ControllerHttp.RefusalAsync(response, cancellationToken)}");
                    return 2;
                }
                response.EnsureSuccessStatusCode();
            }
            catch (HttpRequestException e)
            {
                await Console.Error.WriteLineAsync($"narada apply: cannot reach the controller at {baseUri}: {e.Message}");
                return 3;
            }
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
            var view = new RolloutView(parse.GetValue(json), !Console.IsOutputRedirected);
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
                view.Show(JsonSerializer.Deserialize(line, RolloutJsonContext.Default.RolloutEvent)!, line);
            return view.Failed ? 1 : view.Error ? 2 : 0;
        });
        return command;
    }

    /// <summary>
    /// Renders rollout events: coloured on a terminal, plain and stable for scripts and logs, where a line is never
    /// wrapped (Spectre.Console wraps at 80 columns when it cannot ask a terminal, which would split a diff's lines).
    /// </summary>
    private sealed class RolloutView(bool json, bool terminal)
    {
        private readonly IAnsiConsole _console = AnsiConsole.Create(new AnsiConsoleSettings());
        private int _total;
        private int _done;

        public bool Failed { get; private set; }
        public bool Error { get; private set; }

        private void Line(string markup)
        {
            if (terminal)
                _console.MarkupLine(markup);
            else
                Console.Out.WriteLine(Markup.Remove(markup));
        }

        public void Show(RolloutEvent e, string raw)
        {
            Failed |= e.IsProblem;
            Error |= e.Event == RolloutEventKind.Error;
            if (json)
            {
                Console.Out.WriteLine(raw);
                return;
            }
            switch (e.Event)
            {
                case RolloutEventKind.Started:
                    _total = e.Hosts?.Count ?? 0;
                    Line($"rollout [bold]{Markup.Escape(e.RolloutId)}[/] of [bold]{Markup.Escape(e.Apply)}[/]: " +
                        $"{_total} host(s) in {e.Batches} batch(es){(e.DryRun ? ", dry run" : "")}");
                    break;
                case RolloutEventKind.Batch:
                    Line($"[grey]batch {e.Batch}/{e.Batches}: {Markup.Escape(string.Join(", ", e.Hosts ?? []))}[/]");
                    break;
                case RolloutEventKind.Host:
                    _done++;
                    var color = e.Outcome switch
                    {
                        ApplyOutcome.Changed => "green",
                        ApplyOutcome.Unchanged => "grey",
                        ApplyOutcome.Skipped => "yellow",
                        _ => "red",
                    };
                    Line($"[[{_done}/{_total}]] {Markup.Escape(e.Host ?? "")} {Markup.Escape(e.Path ?? "")}: " +
                        $"[{color}]{Markup.Escape(e.Outcome?.Name() ?? "")}[/] {Markup.Escape(e.Message ?? "")}");
                    if (e.Diff is { Length: > 0 } diff)
                        foreach (var line in diff.Split('\n'))
                            Line(line.StartsWith('+') ? $"[green]{Markup.Escape(line)}[/]"
                                : line.StartsWith('-') ? $"[red]{Markup.Escape(line)}[/]" : Markup.Escape(line));
                    break;
                case RolloutEventKind.Error:
                    Line($"[red]error:[/] {Markup.Escape(e.Message ?? "")}");
                    break;
                case RolloutEventKind.Finished or RolloutEventKind.Stopped:
                    var counts = string.Join(", ", (e.Counts ?? new Dictionary<string, int>()).Select(p => $"{p.Value} {p.Key}"));
                    Line($"{(e.Event == RolloutEventKind.Stopped ? "stopped" : "finished")}: {Markup.Escape(counts)} {Markup.Escape(e.Message ?? "")}");
                    break;
                default:
                    throw new InvalidOperationException($"rollout event {e.Event} has no view");
            }
        }
    }
}
