using System.CommandLine;
using Narada.Cli.Hosting;
using Narada.Core.Definitions;

namespace Narada.Cli.Commands;

/// <summary><c>narada validate [DIR]</c>: checks definitions and prints every error with file:line:col.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var directory = new Argument<string?>("dir") { Description = "Definitions directory (default: config/).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("validate", "Check definitions: every error with file:line:column, key and a suggestion.\n\nExample:\n  narada validate config/")
        {
            directory,
        };
        command.SetAction(parse =>
        {
            var dir = parse.GetValue(directory) ?? DefaultPaths.Config;
            if (!Directory.Exists(dir))
            {
                Console.Error.WriteLine($"narada validate: {dir}: no such directory");
                return 2;
            }
            var result = DefinitionLoader.Load(dir);
            foreach (var error in result.Errors)
                Console.Error.WriteLine(error);
            if (!result.Succeeded)
            {
                Console.Error.WriteLine($"{result.Errors.Count} error(s)");
                return 1;
            }
            var set = result.Set!;
            Console.Out.WriteLine($"{dir}: ok ({set.Checks.Count} checks, {set.Collectors.Count} collectors, {set.Applies.Count} applies, " +
                $"{set.Handlers.Count} handlers, {set.Hosts.Count} hosts, {set.Groups.Count} groups)");
            return 0;
        });
        return command;
    }
}
