using System.CommandLine;
using Narada.Cli.Commands;

var root = new RootCommand("Narada: monitoring and configuration management on Gearman.");
root.Subcommands.Add(VersionCommand.Create());
root.Subcommands.Add(JobServerCommand.Create());
root.Subcommands.Add(UpCommand.Create());
root.Subcommands.Add(ServerCommand.Create());
root.Subcommands.Add(AgentCommand.Create());
root.Subcommands.Add(ValidateCommand.Create());
var run = RunCommand.Create();
root.Subcommands.Add(run);
root.Subcommands.Add(StatusCommand.Create());
root.Subcommands.Add(ApplyCommand.Create());
root.Subcommands.Add(SilenceCommand.Create());
root.Subcommands.Add(AckCommand.Create());
root.Subcommands.Add(SubmitCommand.Create());
root.Subcommands.Add(WorkerCommand.Create());
root.Subcommands.Add(AdminCommand.Create());
root.Subcommands.Add(CertsCommand.Create());
root.Subcommands.Add(UsersCommand.Create());
// -h is the gearman tools' host flag (narada submit -h HOST); help stays on --help and -?.
foreach (var help in root.Options.OfType<System.CommandLine.Help.HelpOption>())
{
    help.Aliases.Remove("-h");
    help.Aliases.Remove("/h");
}
var parsed = root.Parse(args);
int exitCode = await parsed.InvokeAsync();
// A command line that does not parse is a usage error: exit 2, as the verbs' own usage errors, never 1, which
// 'narada submit' and 'narada admin' use for a failed job and a refused command. 'narada run' exits with a check's
// status, so for it a usage error is UNKNOWN (3), as a Monitoring Plugin's is.
return parsed.Errors.Count == 0 ? exitCode : parsed.CommandResult.Command == run ? 3 : 2;
