using Narada.Gearman.Transport;

namespace Narada.Agent.Hosting;

/// <summary>One option of the agent's command line: its names, the value it takes (null for a flag), what it does.</summary>
public sealed record AgentOption(string Long, string Short, string? Value, string Description);

/// <summary>
/// The agent's command line, the same for <c>narada-agent</c> and <c>narada agent</c>: one option table, one parser, one
/// usage text, and one way to find the configuration file.
/// </summary>
public sealed record AgentCommandLine
{
    /// <summary>Read when no <c>--config</c> is given and the file exists.</summary>
    public const string SystemConfig = "/etc/narada/agent.yaml";

    public static IReadOnlyList<AgentOption> Options { get; } =
    [
        new("--config", "-c", "FILE", $"agent configuration (default: {SystemConfig} when it exists, else built-in defaults)"),
        new("--server", "-s", "HOST:PORT", "job server (repeatable, or comma-separated); overrides the file's servers"),
        new("--name", "-n", "NAME", "host name to serve as; overrides the file (default: this machine's)"),
        new("--tls-ca", "", "FILE", "TLS: the CA the job servers' certificates chain to (PEM); turns TLS on"),
        new("--tls-cert", "", "FILE", "TLS: this agent's certificate (PEM); its CN is the name the job server's ACL checks"),
        new("--tls-key", "", "FILE", "TLS: the certificate's private key (PEM)"),
        new("--check", "-t", null, "check the configuration and plugin manifests, print them and exit (0 ok, 1 errors, 2 unusable)"),
        new("--help", "-?", null, "this text"),
    ];

    public string? ConfigPath { get; init; }
    public IReadOnlyList<ServerAddress> Servers { get; init; } = [];
    public string? Name { get; init; }
    public string? TlsCa { get; init; }
    public string? TlsCertificate { get; init; }
    public string? TlsKey { get; init; }
    public bool Help { get; init; }
    public bool Check { get; init; }

    /// <summary>The usage text, naming <paramref name="program"/> as the user typed it.</summary>
    public static string Usage(string program) =>
        $"usage: {program} [--config FILE] [--server HOST:PORT]... [--name NAME] [--tls-ca FILE --tls-cert FILE --tls-key FILE] [--check]\n" +
        string.Join("\n", Options.Select(o =>
            $"  {(o.Short.Length > 0 ? o.Short + ", " : "    ")}{(o.Long + (o.Value is null ? "" : " " + o.Value)),-22} {o.Description}"));

    /// <summary>Parses <paramref name="args"/>; throws <see cref="FormatException"/> naming the bad argument.</summary>
    public static AgentCommandLine Parse(IReadOnlyList<string> args)
    {
        var parsed = new AgentCommandLine();
        var servers = new List<ServerAddress>();
        for (int i = 0; i < args.Count; i++)
        {
            var (key, inline) = Split(args[i]);
            var option = Options.FirstOrDefault(o => o.Long == key || (o.Short.Length > 0 && o.Short == key))
                ?? throw new FormatException($"unknown argument '{args[i]}'");
            if (option.Value is null && inline is not null)
                throw new FormatException($"{option.Long} takes no value");
            string Value() => TakeValue(args, ref i, key, inline);
            parsed = option.Long switch
            {
                "--help" => parsed with { Help = true },
                "--check" => parsed with { Check = true },
                "--config" => parsed with { ConfigPath = Value() },
                "--name" => parsed with { Name = Value() },
                "--tls-ca" => parsed with { TlsCa = Value() },
                "--tls-cert" => parsed with { TlsCertificate = Value() },
                "--tls-key" => parsed with { TlsKey = Value() },
                "--server" => Add(parsed, servers, Value()),
                _ => throw new InvalidOperationException($"option {option.Long} has no parser"),
            };
        }
        return parsed with { Servers = servers };
    }

    /// <summary>The file the configuration is read from: <c>--config</c>, else <see cref="SystemConfig"/> when it
    /// exists; null means the built-in defaults.</summary>
    public string? ConfigFile => ConfigPath ?? (File.Exists(SystemConfig) ? SystemConfig : null);

    private static AgentCommandLine Add(AgentCommandLine parsed, List<ServerAddress> servers, string value)
    {
        try
        {
            servers.AddRange(ServerAddress.ParseList(value));
        }
        catch (FormatException e)
        {
            throw new FormatException($"--server {e.Message}", e);
        }
        return parsed;
    }

    private static (string Key, string? Inline) Split(string arg)
    {
        int eq = arg.IndexOf('=');
        return arg.StartsWith("--", StringComparison.Ordinal) && eq > 0 ? (arg[..eq], arg[(eq + 1)..]) : (arg, null);
    }

    private static string TakeValue(IReadOnlyList<string> args, ref int i, string key, string? inline)
    {
        if (inline is not null)
            return inline.Length > 0 ? inline : throw new FormatException($"{key} needs a value");
        if (i + 1 >= args.Count || args[i + 1].StartsWith('-'))
            throw new FormatException($"{key} needs a value");
        return args[++i];
    }
}
