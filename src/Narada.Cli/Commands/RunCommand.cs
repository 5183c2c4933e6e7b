using System.CommandLine;
using System.Text;
using Narada.Cli.Hosting;
using Narada.Controller.Dispatch;
using Narada.Controller.Scheduling;
using Narada.Core.Contracts;
using Narada.Core.Definitions;
using Narada.Gearman.Client;
using Narada.Gearman.Transport;
using GearmanResult = Narada.Gearman.Client.JobResult;

namespace Narada.Cli.Commands;

/// <summary><c>narada run CHECK --host H</c>: runs one check now as a foreground job and prints its result.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var check = new Argument<string?>("check") { Description = "Check name from the definitions.", Arity = ArgumentArity.ZeroOrOne };
        var host = new Option<string>("--host", "-H") { Description = "Host whose agent runs it.", Required = true };
        var plugin = new Option<string?>("--plugin") { Description = "Run a plugin command directly instead of a defined check, e.g. nagios.check_disk." };
        var param = new Option<string[]>("--param") { Description = "name=value for --plugin (repeatable).", Arity = ArgumentArity.ZeroOrMore };
        var config = new Option<string?>("--config", "-c") { Description = "Definitions directory (default: config/)." };
        var servers = ServerOption.Create();
        var timeout = new Option<string>("--timeout", "-t") { Description = "Give up waiting after this long.", DefaultValueFactory = _ => "30s" };
        var json = new Option<bool>("--json") { Description = "Print the result envelope as JSON." };
        var tls = new TlsClientOptions();
        var command = new Command("run", "Run one check now on one host and print the result; the exit code is the check's status (0-3). A usage " +
            "error, or no answer, is UNKNOWN (3), as with a Monitoring Plugin.\n\n" +
            "Examples:\n  narada run disk-root --host web01\n  narada run --plugin nagios.check_dummy --param state=1 --param text=hi --host web01")
        {
            check, host, plugin, param, config, servers, timeout, json,
        };
        tls.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var hostName = parse.GetValue(host)!;
            if (!Duration.TryParse(parse.GetValue(timeout), out var wait, out var why))
                return Fail($"--timeout: {why}", 3);
            DefinitionShape shape;
            string name;
            if (parse.GetValue(plugin) is { } pluginCommand)
            {
                var parameters = new Dictionary<string, string>();
                foreach (var p in parse.GetValue(param) ?? [])
                {
                    int eq = p.IndexOf('=');
                    if (eq <= 0)
                        return Fail($"--param '{p}': expected name=value", 3);
                    parameters[p[..eq]] = p[(eq + 1)..];
                }
                name = parse.GetValue(check) ?? pluginCommand;
                shape = new DefinitionShape(pluginCommand, parameters, Schedule.Interval(TimeSpan.FromMinutes(1)),
                    new Targets([hostName], [], false), null);
            }
            else
            {
                name = parse.GetValue(check) ?? "";
                var dir = parse.GetValue(config) ?? DefaultPaths.Config;
                var loaded = DefinitionLoader.Load(dir);
                if (!loaded.Succeeded)
                    return Fail($"{dir} has errors:\n{string.Join("\n", loaded.Errors)}", 3);
                if (!loaded.Set!.Checks.TryGetValue(name, out var definition))
                    return Fail(name.Length == 0 ? "name a check or give --plugin" :
                        $"no check '{name}' in {dir} (have: {string.Join(", ", loaded.Set.Checks.Keys.Order())})", 3);
                shape = new DefinitionShape(definition.Plugin, definition.Params, definition.Schedule, definition.Targets, definition.Timeout);
            }

            var key = new DefinitionKey(DefinitionKind.Check, name);
            var request = Dispatcher.BuildRequest(key, shape, hostName, DateTimeOffset.UtcNow);
            await using var client = new GearmanClient(new GearmanClientOptions
            { Servers = ServerOption.Parse(parse.GetValue(servers)), Tls = tls.Resolve(parse) });
            GearmanResult answer;
            try
            {
                answer = await client.SubmitAsync(FunctionNames.ForHost(DefinitionKind.Check, hostName), Envelope.Serialize(request),
                    new JobOptions { Timeout = wait }, cancellationToken);
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException)
            {
                return Fail($"no answer from narada.check@{hostName} within {Duration.Format(wait)}: is its agent running?", 3);
            }
            catch (Exception e) when (e is GearmanConnectionException or System.Net.Sockets.SocketException or GearmanServerException)
            {
                return Fail(e.Message, 3);
            }
            if (!answer.Succeeded)
                return Fail($"the agent failed the job: {answer.DataAsString()}", 3);
            var result = Envelope.Parse<Narada.Core.Contracts.JobResult>(answer.Data.Span);
            Console.Out.Write(parse.GetValue(json) ? Encoding.UTF8.GetString(answer.Data.Span) + "\n" : Describe(result));
            return (int)result.Status;
        });
        return command;
    }

    private static string Describe(Narada.Core.Contracts.JobResult result)
    {
        var text = new StringBuilder();
        text.Append($"{Narada.Controller.Intake.Names.Of(result.Status)}: {result.Output}\n");
        if (result.LongOutput.Length > 0)
            text.Append(result.LongOutput.TrimEnd()).Append('\n');
        foreach (var p in result.Perfdata)
            text.Append($"  {p.Label} = {p.Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "U"}{p.Uom}" +
                $"{(p.Warn is null ? "" : $" warn {p.Warn}")}{(p.Crit is null ? "" : $" crit {p.Crit}")}\n");
        text.Append($"  ({result.Host}, {result.Plugin}, {result.DurationMs ?? 0} ms)\n");
        return text.ToString();
    }

    private static int Fail(string message, int code)
    {
        Console.Error.WriteLine($"narada run: {message}");
        return code;
    }
}
