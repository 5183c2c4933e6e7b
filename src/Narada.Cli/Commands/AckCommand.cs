using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;

namespace Narada.Cli.Commands;

/// <summary><c>narada ack</c>: take a problem in hand, so its handlers stop repeating and escalating; list and remove.</summary>
internal static class AckCommand
{
    public static Command Create()
    {
        var check = new Option<string>("--check", "-c") { Description = "The check with the problem.", Required = true };
        var host = new Option<string>("--host", "-H") { Description = "The host it is on.", Required = true };
        var comment = new Option<string>("--comment", "-m") { Description = "Who is on it and why, for whoever looks later.", Required = true };
        var sticky = new Option<bool>("--sticky") { Description = "Until it is OK again (default: until its state changes, e.g. WARNING to CRITICAL)." };
        var (url, client) = (ControllerHttp.UrlOption(), new ControllerHttp.ClientOptions());
        var command = new Command("ack", "Acknowledge a problem: its handlers stop repeating and escalating until its state changes (--sticky: until OK).\n\n" +
            "Examples:\n  narada ack --check disk-root --host web01 --comment \"ana: replacing the disk\"\n  narada ack list\n" +
            "  narada ack remove --check disk-root --host web01")
        {
            check, host, comment, sticky, url,
        };
        client.AddTo(command);
        command.SetAction((parse, cancellationToken) => ControllerHttp.SendAsync(parse, "ack", "no such check", url, client,
            http => http.PostAsJsonAsync("api/acks", new
            {
                check = parse.GetValue(check),
                host = parse.GetValue(host),
                comment = parse.GetValue(comment),
                sticky = parse.GetValue(sticky),
            }, cancellationToken), _ =>
            {
                Console.Out.WriteLine($"acknowledged {parse.GetValue(check)} on {parse.GetValue(host)}{(parse.GetValue(sticky) ? " until it is OK" : "")}");
                return Task.CompletedTask;
            }));
        command.Subcommands.Add(List());
        command.Subcommands.Add(Remove());
        return command;
    }

    private static Command List()
    {
        var json = new Option<bool>("--json") { Description = "Print the acknowledgements as JSON." };
        var (url, client) = (ControllerHttp.UrlOption(), new ControllerHttp.ClientOptions());
        var command = new Command("list", "The acknowledged problems.") { json, url };
        client.AddTo(command);
        command.SetAction((parse, cancellationToken) => ControllerHttp.SendAsync(parse, "ack list", "not found", url, client,
            http => http.GetAsync("api/acks", cancellationToken), async response =>
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                if (parse.GetValue(json))
                {
                    Console.Out.WriteLine(body);
                    return;
                }
                foreach (var ack in JsonDocument.Parse(body).RootElement.EnumerateArray())
                    Console.Out.WriteLine($"{ack.GetProperty("check").GetString()} on {ack.GetProperty("host").GetString()}  by " +
                        $"{ack.GetProperty("author").GetString()} {ack.GetProperty("at").GetDateTimeOffset():u}" +
                        $"{(ack.GetProperty("sticky").GetBoolean() ? " (until OK)" : "")}  {ack.GetProperty("comment").GetString()}");
            }));
        return command;
    }

    private static Command Remove()
    {
        var check = new Option<string>("--check", "-c") { Description = "The check.", Required = true };
        var host = new Option<string>("--host", "-H") { Description = "The host.", Required = true };
        var (url, client) = (ControllerHttp.UrlOption(), new ControllerHttp.ClientOptions());
        var command = new Command("remove", "Remove an acknowledgement: repeats and escalations resume.") { check, host, url };
        client.AddTo(command);
        command.SetAction((parse, cancellationToken) => ControllerHttp.SendAsync(parse, "ack remove", "no such acknowledgement", url, client,
            http => http.DeleteAsync($"api/acks/{Uri.EscapeDataString(parse.GetValue(check)!)}/{Uri.EscapeDataString(parse.GetValue(host)!)}", cancellationToken),
            _ =>
            {
                Console.Out.WriteLine($"removed the acknowledgement of {parse.GetValue(check)} on {parse.GetValue(host)}");
                return Task.CompletedTask;
            }));
        return command;
    }
}
