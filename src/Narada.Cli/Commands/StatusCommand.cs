using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;
using Spectre.Console;

namespace Narada.Cli.Commands;

/// <summary><c>narada status</c>: hosts and checks from a running controller, coloured by state.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var url = ControllerHttp.UrlOption();
        var tls = new ControllerHttp.ClientOptions();
        var json = new Option<bool>("--json") { Description = "Print hosts and checks as JSON." };
        var problems = new Option<bool>("--problems") { Description = "Only checks that are not OK." };
        var command = new Command("status", "Show hosts and checks of a running controller.\n\nExamples:\n  narada status\n  narada status --problems --json")
        {
            url, json, problems,
        };
        tls.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var baseUri = ControllerHttp.BaseAddress(parse.GetValue(url)!);
            using var http = tls.Client(parse, "status", baseUri, TimeSpan.FromSeconds(10));
            if (http is null)
                return 2;
            JsonElement hosts, checks;
            try
            {
                using var hostsAnswer = await http.GetAsync("api/hosts", cancellationToken);
                if (!hostsAnswer.IsSuccessStatusCode)
                {
                    await Console.Error.WriteLineAsync($"narada status: the controller refused: {await ControllerHttp.RefusalAsync(hostsAnswer, cancellationToken)}");
                    return 3;
                }
                hosts = await hostsAnswer.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
                checks = await http.GetFromJsonAsync<JsonElement>("api/checks", cancellationToken);
            }
            catch (HttpRequestException e)
            {
                await Console.Error.WriteLineAsync($"narada status: cannot reach the controller at {baseUri}: {e.Message}");
                return 3;
            }
            var shown = checks.EnumerateArray()
                .Where(c => !parse.GetValue(problems) || c.GetProperty("status").GetString() != "OK").ToArray();
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new { hosts, checks = shown }));
                return 0;
            }
            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = Console.IsOutputRedirected ? AnsiSupport.No : AnsiSupport.Detect,
                ColorSystem = Console.IsOutputRedirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            });
            // Without a terminal Spectre.Console assumes 80 columns and wraps the output column over several lines,
            // which breaks `narada status | grep CRITICAL`: a row stays one line there.
            if (Console.IsOutputRedirected)
                console.Profile.Width = 4096;
            var hostTable = new Table().AddColumns("host", "status", "tags", "last heartbeat", "agent");
            foreach (var h in hosts.EnumerateArray())
            {
                var up = h.GetProperty("status").GetString() == "up";
                hostTable.AddRow(Markup.Escape(h.GetProperty("name").GetString()!), up ? "[green]up[/]" : "[red]down[/]",
                    Markup.Escape(string.Join(",", h.GetProperty("tags").EnumerateArray().Select(t => t.GetString()))),
                    Markup.Escape(h.GetProperty("last_heartbeat").ToString()), Markup.Escape(h.GetProperty("agent_version").ToString()));
            }
            var checkTable = new Table().AddColumns("check", "host", "status", "type", "output");
            foreach (var c in shown)
            {
                var status = c.GetProperty("status").GetString()!;
                var color = status switch { "OK" => "green", "WARNING" => "yellow", "CRITICAL" => "red", _ => "grey" };
                // What keeps handlers quiet, in a word: someone acknowledged it, or it is held (silence, downtime, a parent down).
                var quiet = c.TryGetProperty("acknowledged", out var ack) && ack.ValueKind == JsonValueKind.Object
                    ? $" acked by {ack.GetProperty("author").GetString()}"
                    : c.TryGetProperty("held_by", out var held) && held.ValueKind == JsonValueKind.String ? $" held: {held.GetString()}" : "";
                checkTable.AddRow(Markup.Escape(c.GetProperty("check").GetString()!), Markup.Escape(c.GetProperty("host").GetString()!),
                    $"[{color}]{status}[/]", Markup.Escape($"{c.GetProperty("state_type").GetString()} {c.GetProperty("attempt").GetInt32()}{quiet}"),
                    Markup.Escape(c.GetProperty("output").GetString()!));
            }
            console.Write(hostTable);
            console.Write(checkTable);
            return shown.Any(c => c.GetProperty("status").GetString() != "OK") ? 1 : 0;
        });
        return command;
    }
}
