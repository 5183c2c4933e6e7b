using System.Globalization;
using Narada.Gearman.Admin;
using Narada.JobServer.Engine;

namespace Narada.JobServer.Sessions;

/// <summary>Answers the text admin commands of <see cref="AdminCommands"/>, byte for byte as gearmand 1.1 does.</summary>
internal sealed class AdminResponder
{
    private readonly JobEngine _engine;
    private readonly Dictionary<AdminCommand, Func<string[], string?>> _answers;

    public AdminResponder(JobEngine engine, string version, string verbose)
    {
        _engine = engine;
        _answers = new()
        {
            [AdminCommands.Status] = _ => _engine.Status(),
            [AdminCommands.PriorityStatus] = _ => _engine.PriorityStatus(),
            [AdminCommands.Workers] = _ => _engine.Workers(),
            [AdminCommands.ShowJobs] = _ => _engine.ShowJobs(),
            [AdminCommands.ShowUniqueJobs] = _ => _engine.ShowUniqueJobs(),
            [AdminCommands.GetPid] = _ => $"OK {Environment.ProcessId}\n",
            [AdminCommands.Version] = _ => $"OK {version}\n",
            [AdminCommands.Verbose] = _ => $"OK {verbose}\n",
            [AdminCommands.CancelJob] = args => args.Length == 0 ? null
                : _engine.Cancel(args[0]) ? "OK\r\n" : "ERR UNKNOWN_JOB\r\n",
            [AdminCommands.MaxQueue] = MaxQueue,
            [AdminCommands.CreateFunction] = args =>
            {
                if (args.Length == 0)
                    return null;
                _engine.CreateFunction(args[0]);
                return "OK\r\n";
            },
            [AdminCommands.DropFunction] = args => args.Length == 0 ? null : _engine.DropFunction(args[0]) switch
            {
                true => "OK\r\n",
                false => "ERR there are still connected workers or executing clients\r\n",
                null => "ERR function not found\r\n",
            },
        };
        // A command of the table that this server cannot answer would be a command the ACL judges and nobody serves.
        if (AdminCommands.All.FirstOrDefault(c => !_answers.ContainsKey(c)) is { } missing)
            throw new InvalidOperationException($"admin command '{missing.Name}' has no answer");
    }

    public string Execute(string line)
    {
        var first = line.Split(' ', 2)[0];
        // An answer of null is a command without its arguments.
        if (AdminCommands.Find(line) is var (command, args))
            return _answers[command](args) ?? Incomplete(first);
        if (first.Equals("show", StringComparison.OrdinalIgnoreCase) && line.TrimEnd().Contains(' '))
            return "ERR UNKNOWN_SHOW_ARGUMENTS\r\n";
        // "cancel", "create", "drop" without their second word: gearmand calls those incomplete, "show" alone unknown.
        if (AdminCommands.Begins(first) && !first.Equals("show", StringComparison.OrdinalIgnoreCase))
            return Incomplete(first);
        return $"ERR UNKNOWN_COMMAND Unknown+server+command{first}\r\n";
    }

    private string? MaxQueue(string[] args)
    {
        if (args.Length == 0)
            return null;
        int[] sizes = [0, 0, 0];
        if (args.Length >= 4)
        {
            for (int i = 0; i < 3; i++)
                sizes[i] = Parse(args[i + 1]);
        }
        else if (args.Length >= 2)
        {
            sizes[0] = sizes[1] = sizes[2] = Parse(args[1]);
        }
        _engine.SetMaxQueue(args[0], sizes[0], sizes[1], sizes[2]);
        return "OK\r\n";
    }

    private static int Parse(string text) => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n) ? Math.Max(0, n) : 0;

    private static string Incomplete(string command) =>
        $"ERR INVALID_ARGUMENTS An+incomplete+set+of+arguments+was+sent+to+this+command+{command}\r\n";
}
