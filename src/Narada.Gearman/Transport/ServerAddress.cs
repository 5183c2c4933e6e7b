using System.Globalization;

namespace Narada.Gearman.Transport;

/// <summary>One job server: host and port, written <c>host[:port]</c> as gearman tools and <c>GEARMAN_SERVER</c> do.</summary>
public readonly record struct ServerAddress(string Host, int Port)
{
    /// <summary>The port Gearman listens on unless told otherwise.</summary>
    public const int DefaultPort = 4730;

    /// <summary>The job server on this machine's loopback at the default port.</summary>
    public static ServerAddress Local => new("127.0.0.1", DefaultPort);

    /// <summary>Parses <c>host</c>, <c>host:port</c>, <c>[v6]:port</c> or a bare v6 address.</summary>
    public static ServerAddress Parse(string text)
    {
        var s = text.Trim();
        if (s.Length == 0)
            throw new FormatException("empty server address");
        string host = s;
        int port = DefaultPort;
        if (s.StartsWith('['))
        {
            int close = s.IndexOf(']');
            if (close < 0)
                throw new FormatException($"'{text}': unterminated [ in server address");
            host = s[1..close];
            if (close + 1 < s.Length)
            {
                if (s[close + 1] != ':')
                    throw new FormatException($"'{text}': expected :port after ]");
                port = ParsePort(text, s[(close + 2)..]);
            }
        }
        else if (s.Count(c => c == ':') == 1)
        {
            int colon = s.IndexOf(':');
            host = s[..colon];
            port = ParsePort(text, s[(colon + 1)..]);
        }
        if (host.Length == 0)
            throw new FormatException($"'{text}': missing host");
        return new ServerAddress(host, port);
    }

    /// <summary>Parses a comma-separated list such as <c>10.0.0.1:4730,10.0.0.2</c>.</summary>
    public static IReadOnlyList<ServerAddress> ParseList(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse).ToArray();

    /// <summary>The servers named by <c>GEARMAN_SERVER</c>, or the local default when it is unset.</summary>
    public static IReadOnlyList<ServerAddress> FromEnvironment()
    {
        var env = Environment.GetEnvironmentVariable("GEARMAN_SERVER");
        return string.IsNullOrWhiteSpace(env) ? [Local] : ParseList(env);
    }

    public override string ToString() => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    private static int ParsePort(string text, string port) =>
        int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int p) && p is > 0 and < 65536
            ? p
            : throw new FormatException($"'{text}': port must be a number from 1 to 65535");
}
