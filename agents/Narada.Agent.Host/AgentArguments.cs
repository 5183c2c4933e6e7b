using Narada.Gearman.Transport;

namespace Narada.Agent.Host;

/// <summary>The command line of <c>narada-agent</c>: <c>--config FILE</c>, <c>--server host:port</c> (repeatable), <c>--name NAME</c>.</summary>
internal sealed record AgentArguments
{
    public const string Usage = """
        usage: narada-agent [--config FILE] [--server HOST:PORT]... [--name NAME] [--check]
          -c, --config FILE        agent configuration (default: /etc/narada/agent.yaml when it exists)
          -s, --server HOST:PORT   job server (repeatable, or comma-separated); overrides the file's servers
          -n, --name NAME          host name to serve as; overrides the file (default: this machine's)
          -t, --check              check the configuration and plugin manifests, print them and exit (0 ok, 1 errors, 2 unusable)
          -?, --help               this text
        """;

    public string? ConfigPath { get; init; }
    public IReadOnlyList<ServerAddress> Servers { get; init; } = [];
    public string? Name { get; init; }
    public bool Help { get; init; }
    public bool Check { get; init; }

    /// <summary>Parses <paramref name="args"/>; throws <see cref="FormatException"/> naming the bad argument.</summary>
    public static AgentArguments Parse(IReadOnlyList<string> args)
    {
        var parsed = new AgentArguments();
        var servers = new List<ServerAddress>();
        for (int i = 0; i < args.Count; i++)
        {
            var (key, inline) = Split(args[i]);
            switch (key)
            {
                case "-?" or "--help":
                    parsed = parsed with { Help = true };
                    break;
                case "-t" or "--check":
                    parsed = parsed with { Check = true };
                    break;
                case "-c" or "--config":
                    parsed = parsed with { ConfigPath = Value(args, ref i, key, inline) };
                    break;
                case "-s" or "--server":
                    servers.AddRange(ServerAddress.ParseList(Value(args, ref i, key, inline)));
                    break;
                case "-n" or "--name":
                    parsed = parsed with { Name = Value(args, ref i, key, inline) };
                    break;
                default:
                    throw new FormatException($"unknown argument '{args[i]}'");
            }
        }
        return parsed with { Servers = servers };
    }

    private static (string Key, string? Inline) Split(string arg)
    {
        int eq = arg.IndexOf('=');
        return arg.StartsWith("--", StringComparison.Ordinal) && eq > 0 ? (arg[..eq], arg[(eq + 1)..]) : (arg, null);
    }

    private static string Value(IReadOnlyList<string> args, ref int i, string key, string? inline)
    {
        if (inline is not null)
            return inline.Length > 0 ? inline : throw new FormatException($"{key} needs a value");
        if (i + 1 >= args.Count || args[i + 1].StartsWith('-'))
            throw new FormatException($"{key} needs a value");
        return args[++i];
    }
}
