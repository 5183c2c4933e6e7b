using System.CommandLine;
using Narada.Cli.Commands;

var root = new RootCommand("Narada: monitoring and configuration management on Gearman.");
root.Subcommands.Add(VersionCommand.Create());
root.Subcommands.Add(SubmitCommand.Create());
root.Subcommands.Add(WorkerCommand.Create());
root.Subcommands.Add(AdminCommand.Create());
return await root.Parse(args).InvokeAsync();
