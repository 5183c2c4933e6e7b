using System.CommandLine;
using System.Reflection;

namespace Narada.Cli.Commands;

/// <summary><c>narada version</c>: prints the version of this build.</summary>
internal static class VersionCommand
{
    public static string Version =>
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public static Command Create()
    {
        var command = new Command("version", "Print the version of narada.");
        command.SetAction(_ =>
        {
            Console.Out.WriteLine($"narada {Version}");
            return 0;
        });
        return command;
    }
}
