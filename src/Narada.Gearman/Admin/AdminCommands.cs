namespace Narada.Gearman.Admin;

/// <summary>Whether a text admin command only reads the server's state or changes it (what an ACL grants as read or write).</summary>
public enum AdminAccess
{
    Read,
    Write,
}

/// <summary>How a command is answered: one line (<c>OK ...</c> / <c>ERR ...</c>), or lines closed by a <c>.</c> line.</summary>
public enum AdminReplyShape
{
    Line,
    List,
}

/// <summary>One text admin command: its name as words (<c>show unique jobs</c>), who may run it, and its reply's shape.</summary>
public sealed record AdminCommand(string Name, AdminAccess Access, AdminReplyShape Reply, string Arguments = "")
{
    /// <summary>The words of the name: <c>cancel job</c> is two, its handle comes after them.</summary>
    public IReadOnlyList<string> Words { get; } = Name.Split(' ');
}

/// <summary>
/// The text admin protocol's commands (GEARMAN.md, "Text admin protocol"): the one table the job server answers from, its
/// ACL judges by and the admin client reads replies with. A line whose words are not a command here is no command: the
/// server answers it as gearmand does, and the ACL grants it only to a rule that names it (never as "read").
/// </summary>
public static class AdminCommands
{
    public static AdminCommand Status { get; } = new("status", AdminAccess.Read, AdminReplyShape.List);
    public static AdminCommand PriorityStatus { get; } = new("prioritystatus", AdminAccess.Read, AdminReplyShape.List);
    public static AdminCommand Workers { get; } = new("workers", AdminAccess.Read, AdminReplyShape.List);
    public static AdminCommand ShowJobs { get; } = new("show jobs", AdminAccess.Read, AdminReplyShape.List);
    public static AdminCommand ShowUniqueJobs { get; } = new("show unique jobs", AdminAccess.Read, AdminReplyShape.List);
    public static AdminCommand GetPid { get; } = new("getpid", AdminAccess.Read, AdminReplyShape.Line);
    public static AdminCommand Version { get; } = new("version", AdminAccess.Read, AdminReplyShape.Line);
    public static AdminCommand Verbose { get; } = new("verbose", AdminAccess.Read, AdminReplyShape.Line);
    public static AdminCommand CancelJob { get; } = new("cancel job", AdminAccess.Write, AdminReplyShape.Line, "HANDLE");
    public static AdminCommand MaxQueue { get; } = new("maxqueue", AdminAccess.Write, AdminReplyShape.Line, "FUNCTION [MAX | HIGH NORMAL LOW]");
    public static AdminCommand CreateFunction { get; } = new("create function", AdminAccess.Write, AdminReplyShape.Line, "FUNCTION");
    public static AdminCommand DropFunction { get; } = new("drop function", AdminAccess.Write, AdminReplyShape.Line, "FUNCTION");

    /// <summary>Every command, longest names first so <c>show unique jobs</c> is tried before <c>show jobs</c>.</summary>
    public static IReadOnlyList<AdminCommand> All { get; } =
        new[] { Status, PriorityStatus, Workers, ShowJobs, ShowUniqueJobs, GetPid, Version, Verbose, CancelJob, MaxQueue, CreateFunction, DropFunction }
            .OrderByDescending(c => c.Words.Count).ToArray();

    /// <summary>The command a line starts with (words case-insensitive, any spacing between them) and the words after
    /// it; null when the line is no command of the table. As in gearmand, a line that starts with a space is none.</summary>
    public static (AdminCommand Command, string[] Arguments)? Find(string line)
    {
        if (line.Length == 0 || line[0] == ' ')
            return null;
        var words = line.TrimEnd().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        foreach (var command in All)
            if (words.Length >= command.Words.Count && command.Words.Select((w, i) => string.Equals(w, words[i], StringComparison.OrdinalIgnoreCase)).All(x => x))
                return (command, words[command.Words.Count..]);
        return null;
    }

    /// <summary>The name a line is judged by: a command's name, or else its first word, lower case.</summary>
    public static string NameOf(string line) =>
        Find(line.Trim()) is { } found ? found.Command.Name : line.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.ToLowerInvariant() ?? "";

    /// <summary>True when <paramref name="word"/> begins some command (<c>show</c>, <c>cancel</c>): a line with it and the
    /// wrong words after is a command used wrongly, not an unknown one.</summary>
    public static bool Begins(string word) => All.Any(c => string.Equals(c.Words[0], word, StringComparison.OrdinalIgnoreCase));
}
