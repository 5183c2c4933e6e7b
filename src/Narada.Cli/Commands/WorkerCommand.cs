using System.CommandLine;
using Narada.Cli.Commands.Gearman;

namespace Narada.Cli.Commands;

/// <summary><c>narada worker</c>: <c>gearman -w</c> with the same flags; runs a command per job, or prints the workload.</summary>
internal static class WorkerCommand
{
    public static Command Create()
    {
        var servers = new ServerOptions();
        var functions = new Option<string[]>("-f", "--function") { Description = "Function to serve (required); repeat for several." };
        var count = new Option<string?>("-c", "--count") { Description = "Number of jobs to run before exiting." };
        var perLine = new Option<bool>("-n") { Description = "Send each output line as a WORK_DATA packet." };
        var perLineStripped = new Option<bool>("-N") { Description = "Same as -n, but strip off the newline." };
        var verbose = new Option<bool>("-v", "--verbose") { Description = "Print each job's handle to stderr." };
        var program = new Argument<string[]>("command")
        {
            Description = "Run per job (after --): the workload on its stdin, its stdout the result, no shell; a non-zero exit fails the job. Without it the workload is printed to stdout.",
            Arity = ArgumentArity.ZeroOrMore,
        };

        var command = new Command("worker", """
            Serve Gearman jobs like gearman -w: run a command per job, or print each workload.
            Examples:
              narada worker -f test -- grep lib        (then: ls / | narada submit -f test)
              narada worker -f wc -- wc -l
              narada worker -f logger >> access.log
            Exit codes: 0 after -c jobs, 130/143 stopped by Ctrl-C/SIGTERM (jobs in hand finish first), 2 usage error, 3 cannot connect.
            """);
        servers.AddTo(command);
        foreach (var option in new Option[] { functions, count, perLine, perLineStripped, verbose })
            command.Options.Add(option);
        command.Arguments.Add(program);

        command.Action = new GearmanVerbAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(functions) is not { Length: > 0 } names)
                throw new UsageException("no function given: use -f FUNCTION");
            var argv = parse.GetValue(program) ?? [];
            var request = new WorkerRequest
            {
                Servers = servers.Resolve(parse),
                Tls = servers.ResolveTls(parse),
                Functions = names,
                Count = GearmanVerbAction.Number(parse, count, 1, int.MaxValue),
                Lines = parse.GetValue(perLineStripped) ? LineMode.Strip : parse.GetValue(perLine) ? LineMode.Keep : LineMode.Whole,
                Command = argv.Length == 0 ? null : ProgramLookup.Resolve(argv),
                Verbose = parse.GetValue(verbose),
            };
            return await WorkerRun.RunAsync(request, cancellationToken);
        });
        return command;
    }
}
