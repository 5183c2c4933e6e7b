using System.CommandLine;

namespace Narada.Cli.Commands;

/// <summary>
/// gearmand options with no counterpart in <c>narada jobserver</c>, named so that a gearmand command line gets a reason
/// rather than "Unrecognized command or argument". Tuning knobs whose purpose Narada serves anyway are ignored with a
/// note; options whose absence would change what the operator relies on (the user it runs as, where its log goes,
/// another protocol) stop the start. Hidden from --help.
/// </summary>
internal sealed class GearmandOnlyOptions
{
    private sealed record Entry(Option Option, bool Fatal, string Why);

    private readonly Entry[] _entries =
    [
        Flag("--round-robin", "-R", fatal: false, "Narada already takes a worker's functions of equal priority in turn"),
        Value("--hashtable-buckets", null, fatal: false, "Narada's job tables grow as needed"),
        Value("--worker-wakeup", "-w", fatal: false, "Narada wakes one sleeping worker per job, the fewest there can be"),
        Flag("--coredump", null, fatal: false, "set DOTNET_DbgEnableMiniDump=1 for a dump if the runtime crashes"),
        Flag("--store-queue-on-shutdown", null, fatal: false,
            "the default queue (-q sqlite) writes each background job before it is acknowledged"),
        Value("--user", "-u", fatal: true, "start it as that user instead (User= in a systemd unit, or runuser)"),
        Flag("--syslog", null, fatal: true, "use --log-file, or run it under systemd, whose journal takes the console log"),
        Value("--config-file", null, fatal: true, "give the options on the command line"),
        Value("--protocol", "-r", fatal: true, "Narada serves the Gearman protocol only; its metrics are on --metrics-port"),
        Value("--http-port", null, fatal: true, "Narada serves the Gearman protocol only; its metrics are on --metrics-port"),
    ];

    public IEnumerable<Option> All => _entries.Select(e => e.Option);

    /// <summary>One line per gearmand-only option given, and whether any of them stops the start; null when none was.</summary>
    public (string Message, bool Fatal)? Check(ParseResult parse)
    {
        var given = _entries.Where(e => parse.GetResult(e.Option) is { Implicit: false }).ToArray();
        if (given.Length == 0)
            return null;
        var lines = given.Select(e => e.Fatal
            ? $"narada jobserver: gearmand's {e.Option.Name} has no counterpart here: {e.Why}"
            : $"narada jobserver: ignoring gearmand's {e.Option.Name}: {e.Why}");
        return (string.Join(Environment.NewLine, lines), given.Any(e => e.Fatal));
    }

    private static Entry Flag(string name, string? alias, bool fatal, string why) =>
        new(Hide(alias is null ? new Option<bool>(name) : new Option<bool>(name, alias)), fatal, why);

    private static Entry Value(string name, string? alias, bool fatal, string why) =>
        new(Hide(alias is null ? new Option<string?>(name) : new Option<string?>(name, alias)), fatal, why);

    private static Option Hide(Option option)
    {
        option.Hidden = true;
        return option;
    }
}
