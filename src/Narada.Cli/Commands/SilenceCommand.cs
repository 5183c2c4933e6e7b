using System.CommandLine;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Narada.Cli.Commands;

/// <summary><c>narada silence</c>: keep handlers quiet for a check, host or tag for a while; list and lift silences.</summary>
internal static class SilenceCommand
{
    public static Command Create()
    {
        var command = new Command("silence", "Keep handlers quiet for a while (maintenance), list silences, lift one.\n\nExamples:\n" +
            "  narada silence add --host web01 --for 2h --reason \"disk swap\"\n  narada silence list\n  narada silence lift 3f2a9c1b7d4e");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Lift());
        return command;
    }

    private static Command Add()
    {
        var check = new Option<string?>("--check") { Description = "Only this check (default: any)." };
        var host = new Option<string?>("--host") { Description = "Only this host (default: any)." };
        var tag = new Option<string?>("--tag") { Description = "Only hosts with this tag (default: any)." };
        var duration = new Option<string>("--for") { Description = "How long: 30m, 2h, 1d.", Required = true };
        var reason = new Option<string?>("--reason") { Description = "Why, for whoever looks later." };
        var (url, tls) = (ControllerHttp.UrlOption(), new ControllerHttp.ClientOptions());
        var command = new Command("add", "Silence a check, a host or a tag (each left out means any; none of them: everything).")
        {
            check, host, tag, duration, reason, url,
        };
        tls.AddTo(command);
        command.SetAction((parse, cancellationToken) => ControllerHttp.SendAsync(parse, "silence add", "no such silence", url, tls, http => http.PostAsJsonAsync("api/silences",
            new SilenceRequest(parse.GetValue(check), parse.GetValue(host), parse.GetValue(tag), parse.GetValue(duration)!, parse.GetValue(reason)),
            cancellationToken), async response =>
        {
            var silence = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            Console.Out.WriteLine($"silenced {Describe(silence)} until {silence.GetProperty("until").GetDateTimeOffset():u} " +
                $"(id {silence.GetProperty("id").GetString()})");
        }));
        return command;
    }

    private static Command List()
    {
        var json = new Option<bool>("--json") { Description = "Print the silences as JSON." };
        var (url, tls) = (ControllerHttp.UrlOption(), new ControllerHttp.ClientOptions());
        var command = new Command("list", "The silences in force, soonest end first.") { json, url };
        tls.AddTo(command);
        command.SetAction((parse, cancellationToken) => ControllerHttp.SendAsync(parse, "silence list", "no such silence", url, tls,
            http => http.GetAsync("api/silences", cancellationToken), async response =>
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(body);
                return;
            }
            foreach (var silence in JsonDocument.Parse(body).RootElement.EnumerateArray())
                Console.Out.WriteLine($"{silence.GetProperty("id").GetString()}  until {silence.GetProperty("until").GetDateTimeOffset():u}  " +
                    $"{Describe(silence)}  {silence.GetProperty("reason").GetString()}");
        }));
        return command;
    }

    private static Command Lift()
    {
        var id = new Argument<string>("id") { Description = "The silence's id (narada silence list)." };
        var (url, tls) = (ControllerHttp.UrlOption(), new ControllerHttp.ClientOptions());
        var command = new Command("lift", "End a silence now.") { id, url };
        tls.AddTo(command);
        command.SetAction((parse, cancellationToken) => ControllerHttp.SendAsync(parse, "silence lift", "no such silence", url, tls,
            http => http.DeleteAsync($"api/silences/{Uri.EscapeDataString(parse.GetValue(id)!)}", cancellationToken), _ =>
        {
            Console.Out.WriteLine($"lifted {parse.GetValue(id)}");
            return Task.CompletedTask;
        }));
        return command;
    }

    private static string Describe(JsonElement silence)
    {
        var parts = new[] { "check", "host", "tag" }
            .Where(k => silence.TryGetProperty(k, out var v) && v.ValueKind == JsonValueKind.String)
            .Select(k => $"{k} {silence.GetProperty(k).GetString()}")
            .ToArray();
        return parts.Length == 0 ? "everything" : string.Join(", ", parts);
    }

    private sealed record SilenceRequest(string? Check, string? Host, string? Tag, string Duration, string? Reason);
}
