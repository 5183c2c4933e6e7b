using System.CommandLine;
using Narada.Gearman.Transport;

namespace Narada.Cli.Commands;

/// <summary>The repeatable <c>--server host:port</c> option every Gearman-speaking verb takes (default: GEARMAN_SERVER or 127.0.0.1:4730).</summary>
internal static class ServerOption
{
    public static Option<string[]> Create(string description = "Job server host:port (repeatable; default GEARMAN_SERVER or 127.0.0.1:4730).") =>
        new("--server") { Description = description, AllowMultipleArgumentsPerToken = false, Arity = ArgumentArity.ZeroOrMore };

    public static IReadOnlyList<ServerAddress> Parse(string[]? values) =>
        values is { Length: > 0 } ? values.SelectMany(ServerAddress.ParseList).ToArray() : ServerAddress.FromEnvironment();
}
