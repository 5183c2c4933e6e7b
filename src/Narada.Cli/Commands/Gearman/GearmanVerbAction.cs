using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Narada.Cli.Commands.Gearman;

/// <summary>
/// The action of a Gearman verb. Usage errors exit 2, not System.CommandLine's 1, which these verbs keep for a failed
/// job; so the verb takes over parse errors and checks its values itself (throwing <see cref="UsageException"/>).
/// </summary>
internal sealed class GearmanVerbAction(Func<ParseResult, CancellationToken, Task<int>> run) : AsynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override async Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken = default)
    {
        string verb = CommandPath(parseResult.CommandResult);
        var problems = parseResult.Errors.Select(e => e.Message)
            .Concat(parseResult.UnmatchedTokens.Select(t => $"unrecognized argument '{t}'"))
            .Concat(UnknownOptions(parseResult).Select(t => $"unknown option '{t}' (put a workload or command that starts with - after --)"))
            .ToList();
        if (problems.Count == 0)
        {
            try
            {
                return await run(parseResult, cancellationToken);
            }
            catch (UsageException e)
            {
                problems.Add(e.Message);
            }
        }
        foreach (var problem in problems)
            await Console.Error.WriteLineAsync($"narada {verb}: {problem}");
        await Console.Error.WriteLineAsync($"Try 'narada {verb} --help'.");
        return ExitCodes.Usage;
    }

    /// <summary>The verb as typed after <c>narada</c>, sub-verbs included (<c>admin cancel-job</c>).</summary>
    private static string CommandPath(CommandResult command)
    {
        var names = new List<string>();
        for (var result = command; result.Parent is CommandResult parent; result = parent)
            names.Add(result.Command.Name);
        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary>
    /// Positional tokens that look like options and came before <c>--</c>: System.CommandLine would take an unknown
    /// <c>--nonsense</c> as a workload, where the gearman tools refuse it.
    /// </summary>
    private static IEnumerable<string> UnknownOptions(ParseResult parseResult)
    {
        int doubleDash = parseResult.Tokens.ToList().FindIndex(t => t.Type == TokenType.DoubleDash);
        var positional = parseResult.CommandResult.Children.OfType<ArgumentResult>().SelectMany(a => a.Tokens).ToHashSet();
        for (int i = 0; i < (doubleDash < 0 ? parseResult.Tokens.Count : doubleDash); i++)
        {
            var token = parseResult.Tokens[i];
            if (positional.Contains(token) && token.Value.Length > 1 && token.Value[0] == '-')
                yield return token.Value;
        }
    }

    /// <summary>Parses a whole number option given as text; null when absent.</summary>
    public static int? Number(ParseResult parse, Option<string?> option, int min, int max)
    {
        var text = parse.GetValue(option);
        if (text is null)
            return null;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= min && n <= max
            ? n
            : throw new UsageException($"{option.Name}: '{text}' is not a number from {min} to {max}");
    }
}
