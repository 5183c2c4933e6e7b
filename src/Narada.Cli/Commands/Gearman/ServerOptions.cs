using System.CommandLine;
using Narada.Gearman.Transport;

namespace Narada.Cli.Commands.Gearman;

/// <summary>
/// The <c>-h HOST -p PORT</c> pair of the gearman tools plus a repeatable <c>--server host:port</c>; without any of them
/// the servers come from <c>GEARMAN_SERVER</c>, else 127.0.0.1:4730.
/// </summary>
internal sealed class ServerOptions
{
    // -h is the gearman tools' host flag, so these verbs keep --help and -? for help.
    public Option<string?> Host { get; } = new("-h", "--host") { Description = "Job server host (gearman -h)." };

    public Option<string?> Port { get; } = new("-p", "--port") { Description = "Job server port (gearman -p), 4730 by default." };

    public Option<string[]> Servers { get; } = new("--server")
    {
        Description = "Job server as host:port; repeat for several. Default: GEARMAN_SERVER, else 127.0.0.1:4730.",
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly TlsClientOptions _tls = new();

    public void AddTo(Command command)
    {
        command.Options.Add(Host);
        command.Options.Add(Port);
        command.Options.Add(Servers);
        _tls.AddTo(command);
    }

    /// <summary>TLS settings when any --tls-* option is given, else null (plain TCP, as the gearman tools).</summary>
    public Narada.Gearman.Tls.GearmanTlsOptions? ResolveTls(ParseResult parse)
    {
        if (_tls.Resolve(parse) is not { } tls)
            return null;
        try
        {
            tls.Validate();
        }
        catch (Exception e) when (e is ArgumentException or IOException)
        {
            throw new UsageException(e.Message);
        }
        return tls;
    }

    /// <summary>The servers the parsed command line names, in order.</summary>
    public IReadOnlyList<ServerAddress> Resolve(ParseResult parse)
    {
        var host = parse.GetValue(Host);
        var port = GearmanVerbAction.Number(parse, Port, 1, 65535);
        var servers = new List<ServerAddress>();
        if (host is not null || port is not null)
            servers.Add(new ServerAddress(host ?? "127.0.0.1", port ?? ServerAddress.DefaultPort));
        foreach (var text in parse.GetValue(Servers) ?? [])
        {
            try
            {
                servers.Add(ServerAddress.Parse(text));
            }
            catch (FormatException e)
            {
                throw new UsageException("--server " + e.Message);
            }
        }
        return servers.Count > 0 ? servers : ServerAddress.FromEnvironment();
    }
}
