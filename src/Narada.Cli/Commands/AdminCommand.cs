using System.CommandLine;
using Narada.Cli.Commands.Gearman;

namespace Narada.Cli.Commands;

/// <summary><c>narada admin status|workers|...</c>: gearadmin's commands, printing what gearadmin prints, or JSON.</summary>
internal static class AdminCommand
{
    public static Command Create()
    {
        var admin = new Command("admin", """
            Ask a job server's text admin protocol, like gearadmin.
            Examples:
              narada admin status
              narada admin workers -h jobs.example.org
              narada admin status --json | jq '.[] | select(.total > 0)'
            Exit codes: 0 ok, 1 the server refused the command, 2 usage error, 3 cannot connect.
            """);
        admin.Subcommands.Add(Verb("status", "Status for the server: function, jobs, running, workers (gearadmin --status).", AdminQuery.Status));
        admin.Subcommands.Add(Verb("priority-status", "Queued jobs by priority: function, high, normal, low, workers (gearadmin --priority-status).", AdminQuery.PriorityStatus));
        admin.Subcommands.Add(Verb("workers", "Connections with their client id and functions (gearadmin --workers).", AdminQuery.Workers));
        admin.Subcommands.Add(Verb("version", "The server's version (gearadmin --server-version).", AdminQuery.Version));
        admin.Subcommands.Add(Verb("getpid", "The server's process id (gearadmin --getpid).", AdminQuery.GetPid));
        admin.Subcommands.Add(Verb("show-jobs", "Every job the server holds (gearadmin --show-jobs).", AdminQuery.ShowJobs));
        admin.Subcommands.Add(Verb("show-unique-jobs", "Unique keys of the jobs (gearadmin --show-unique-jobs).", AdminQuery.ShowUniqueJobs));
        admin.Subcommands.Add(Verb("cancel-job", "Remove a queued job by handle (gearadmin --cancel-job).", AdminQuery.CancelJob, "handle"));
        admin.Subcommands.Add(Verb("create-function", "Create a function (gearadmin --create-function).", AdminQuery.CreateFunction, "function"));
        admin.Subcommands.Add(Verb("drop-function", "Drop a function (gearadmin --drop-function).", AdminQuery.DropFunction, "function"));
        return admin;
    }

    private static Command Verb(string name, string description, AdminQuery.Run query, string? argumentName = null)
    {
        var servers = new ServerOptions();
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts instead of gearadmin's text." };
        var argument = argumentName is null ? null : new Argument<string>(argumentName) { Description = $"The {argumentName}." };
        var command = new Command(name, description);
        servers.AddTo(command);
        command.Options.Add(json);
        if (argument is not null)
            command.Arguments.Add(argument);
        command.Action = new GearmanVerbAction(async (parse, cancellationToken) =>
        {
            var all = servers.Resolve(parse);
            string? value = argument is null ? null : parse.GetValue(argument);
            if (argument is not null && (string.IsNullOrEmpty(value) || value.AsSpan().IndexOfAny(" \t\r\n") >= 0))
                throw new UsageException($"{argument.Name} must be one word");
            return await AdminQuery.RunAsync(all[0], query, value, parse.GetValue(json), cancellationToken, servers.ResolveTls(parse));
        });
        return command;
    }
}
