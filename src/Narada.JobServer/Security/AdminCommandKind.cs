namespace Narada.JobServer.Security;

/// <summary>Names a text admin command line the way ACL rules spell it, and says whether it changes state.</summary>
public static class AdminCommandKind
{
    /// <summary>ACL word granting every command that changes state.</summary>
    public const string Write = "write";

    /// <summary>ACL word granting every command that only reads.</summary>
    public const string Read = "read";

    private static readonly string[] TwoWordCommands = ["show unique jobs", "show jobs", "cancel job", "create function", "drop function"];
    private static readonly HashSet<string> Writing = new(StringComparer.Ordinal)
        { "cancel job", "maxqueue", "create function", "drop function", "shutdown" };

    /// <summary>The command's name without its arguments, lower case (<c>cancel job H:x:1</c> → <c>cancel job</c>).</summary>
    public static string NameOf(string line)
    {
        var words = string.Join(' ', line.Trim().ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries));
        foreach (var command in TwoWordCommands)
            if (words == command || words.StartsWith(command + " ", StringComparison.Ordinal))
                return command;
        int space = words.IndexOf(' ');
        return space < 0 ? words : words[..space];
    }

    /// <summary>True for commands that change the server's state (cancel job, maxqueue, create/drop function, shutdown).</summary>
    public static bool ChangesState(string commandName) => Writing.Contains(commandName);
}
