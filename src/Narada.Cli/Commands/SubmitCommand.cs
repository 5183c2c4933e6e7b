using System.CommandLine;
using Narada.Cli.Commands.Gearman;
using Narada.Gearman.Client;

namespace Narada.Cli.Commands;

/// <summary><c>narada submit</c>: the <c>gearman</c> client's flags with the same meaning, plus <c>--json</c>.</summary>
internal static class SubmitCommand
{
    public static Command Create()
    {
        var servers = new ServerOptions();
        var functions = new Option<string[]>("-f", "--function") { Description = "Function to submit to (required); repeat to send each job to several." };
        var timeout = new Option<string?>("-t", "--timeout") { Description = "Timeout in milliseconds." };
        var background = new Option<bool>("-b", "--background") { Description = "Run jobs in the background." };
        var high = new Option<bool>("-I", "--high") { Description = "Run jobs as high priority." };
        var low = new Option<bool>("-L", "--low") { Description = "Run jobs as low priority." };
        var unique = new Option<string?>("-u", "--unique") { Description = "Unique key to use for the job." };
        var perLine = new Option<bool>("-n") { Description = "Run one job per line of standard input." };
        var perLineStripped = new Option<bool>("-N") { Description = "Same as -n, but strip off the newline." };
        var noStdin = new Option<bool>("-s") { Description = "Send the job without reading from standard input." };
        var prefix = new Option<bool>("-P", "--prefix") { Description = "Prefix all output with the function name." };
        var verbose = new Option<bool>("-v", "--verbose") { Description = "Print diagnostic information (job handles)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per job: function, handle, outcome, data." };
        var workloads = new Argument<string[]>("workload") { Description = "One job per argument; without any, standard input is the workload.", Arity = ArgumentArity.ZeroOrMore };

        var command = new Command("submit", """
            Submit jobs to a Gearman job server, like the gearman client.
            Examples:
              ls / | narada submit -f test
              narada submit -f reverse "Hello World!"
              tail -f access_log | narada submit -n -b -f logger
            Exit codes: 0 ok, 1 job failed, 2 usage error, 3 cannot connect.
            """);
        servers.AddTo(command);
        foreach (var option in new Option[] { functions, timeout, background, high, low, unique, perLine, perLineStripped, noStdin, prefix, verbose, json })
            command.Options.Add(option);
        command.Arguments.Add(workloads);

        command.Action = new GearmanVerbAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(functions) is not { Length: > 0 })
                throw new UsageException("no function given: use -f FUNCTION");
            if (parse.GetValue(high) && parse.GetValue(low))
                throw new UsageException("-I and -L exclude each other");
            var request = new SubmitRequest
            {
                Servers = servers.Resolve(parse),
                Tls = servers.ResolveTls(parse),
                Functions = parse.GetValue(functions)!,
                Options = new JobOptions
                {
                    Priority = parse.GetValue(high) ? JobPriority.High : parse.GetValue(low) ? JobPriority.Low : JobPriority.Normal,
                    Unique = parse.GetValue(unique),
                    Timeout = GearmanVerbAction.Number(parse, timeout, 1, int.MaxValue) is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
                },
                Background = parse.GetValue(background),
                Workloads = WorkloadSource.From(parse.GetValue(workloads) ?? [], parse.GetValue(noStdin),
                    parse.GetValue(perLineStripped) ? LineMode.Strip : parse.GetValue(perLine) ? LineMode.Keep : LineMode.Whole),
                Prefix = parse.GetValue(prefix),
                Verbose = parse.GetValue(verbose),
                Json = parse.GetValue(json),
            };
            return await SubmitRun.RunAsync(request, cancellationToken);
        });
        return command;
    }
}
