using System.CommandLine;
using Narada.Gearman.Transport;

namespace Narada.Cli.Commands;

/// <summary>The repeatable <c>--server host:port</c> option every Gearman-speaking verb takes (default: GEARMAN_SERVER or 127.0.0.1:4730).</summary>
internal static class ServerOption
{
    public static Option<string[]> Create(string description = "Job server host:port (repeatable; default GEARMAN_SERVER or 127.0.0.1:4730).")
    {
        var option = new Option<string[]>("--server")
        { Description = description, AllowMultipleArgumentsPerToken = false, Arity = ArgumentArity.ZeroOrMore };
        // A malformed address is a usage error at parse time, before the verb starts anything.
        option.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                try
                {
                    _ = ServerAddress.ParseList(token.Value).ToArray();
                }
                catch (FormatException e)
                {
                    result.AddError("--server " + e.Message);
                }
            }
        });
        return option;
    }

    public static IReadOnlyList<ServerAddress> Parse(string[]? values) =>
        values is { Length: > 0 } ? values.SelectMany(ServerAddress.ParseList).ToArray() : ServerAddress.FromEnvironment();
}
