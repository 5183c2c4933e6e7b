using System.CommandLine;
using Narada.Cli.Commands;

var root = new RootCommand("Narada: monitoring and configuration management on Gearman.");
root.Subcommands.Add(VersionCommand.Create());
root.Subcommands.Add(JobServerCommand.Create());
root.Subcommands.Add(UpCommand.Create());
root.Subcommands.Add(ServerCommand.Create());
root.Subcommands.Add(AgentCommand.Create());
root.Subcommands.Add(ValidateCommand.Create());
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(StatusCommand.Create());
root.Subcommands.Add(ApplyCommand.Create());
root.Subcommands.Add(SilenceCommand.Create());
root.Subcommands.Add(SubmitCommand.Create());
root.Subcommands.Add(WorkerCommand.Create());
root.Subcommands.Add(AdminCommand.Create());
root.Subcommands.Add(CertsCommand.Create());
// -h is the gearman tools' host flag (narada submit -h HOST); help stays on --help and -?.
foreach (var help in root.Options.OfType<System.CommandLine.Help.HelpOption>())
{
    help.Aliases.Remove("-h");
    help.Aliases.Remove("/h");
}
return await root.Parse(args).InvokeAsync();
