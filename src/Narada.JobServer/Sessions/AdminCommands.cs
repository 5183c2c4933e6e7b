using System.Globalization;
using Narada.JobServer.Engine;

namespace Narada.JobServer.Sessions;

/// <summary>The text admin commands, answering byte for byte as gearmand 1.1 does.</summary>
internal sealed class AdminCommands
{
    private readonly JobEngine _engine;
    private readonly string _version;
    private readonly string _verbose;

    public AdminCommands(JobEngine engine, string version, string verbose)
    {
        _engine = engine;
        _version = version;
        _verbose = verbose;
    }

    public string Execute(string line)
    {
        var words = line.Split(' ');
        string command = words[0];
        var args = words.Skip(1).Where(w => w.Length > 0).ToArray();
        switch (command.ToLowerInvariant())
        {
            case "status":
                return _engine.Status();
            case "prioritystatus":
                return _engine.PriorityStatus();
            case "workers":
                return _engine.Workers();
            case "getpid":
                return $"OK {Environment.ProcessId}\n";
            case "version":
                return $"OK {_version}\n";
            case "verbose":
                return $"OK {_verbose}\n";
            case "show" when args.Length == 0:
                break;
            case "show":
                if (args.Length == 1 && Is(args[0], "jobs"))
                    return _engine.ShowJobs();
                if (args.Length == 2 && Is(args[0], "unique") && Is(args[1], "jobs"))
                    return _engine.ShowUniqueJobs();
                return "ERR UNKNOWN_SHOW_ARGUMENTS\r\n";
            case "cancel":
                if (args.Length < 2 || !Is(args[0], "job"))
                    return Incomplete(command);
                return _engine.Cancel(args[1]) ? "OK\r\n" : "ERR UNKNOWN_JOB\r\n";
            case "maxqueue":
                return MaxQueue(command, args);
            case "create":
                if (args.Length < 2 || !Is(args[0], "function"))
                    return Incomplete(command);
                _engine.CreateFunction(args[1]);
                return "OK\r\n";
            case "drop":
                if (args.Length < 2 || !Is(args[0], "function"))
                    return Incomplete(command);
                return _engine.DropFunction(args[1]) switch
                {
                    true => "OK\r\n",
                    false => "ERR there are still connected workers or executing clients\r\n",
                    null => "ERR function not found\r\n",
                };
        }
        return $"ERR UNKNOWN_COMMAND Unknown+server+command{command}\r\n";
    }

    private string MaxQueue(string command, string[] args)
    {
        if (args.Length == 0)
            return Incomplete(command);
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

    private static bool Is(string word, string expected) => string.Equals(word, expected, StringComparison.OrdinalIgnoreCase);

    private static string Incomplete(string command) =>
        $"ERR INVALID_ARGUMENTS An+incomplete+set+of+arguments+was+sent+to+this+command+{command}\r\n";
}
