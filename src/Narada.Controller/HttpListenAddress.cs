using System.Globalization;
using System.Net;

namespace Narada.Controller;

/// <summary>
/// The controller's --http address: an IP address and a port, nothing else. Kestrel takes any other host name as
/// "every interface", so a typo must not quietly open the API to the network.
/// </summary>
public static class HttpListenAddress
{
    /// <summary>Parses <c>IP:port</c> (<c>[v6]:port</c>; <c>localhost</c> is 127.0.0.1; port 0 picks a free one).</summary>
    /// <exception cref="FormatException">Anything else, with what was expected.</exception>
    public static IPEndPoint Parse(string text)
    {
        int colon = text.LastIndexOf(':');
        if (colon > 0 && int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port)
            && port <= IPEndPoint.MaxPort && Address(text[..colon]) is { } address)
            return new IPEndPoint(address, port);
        throw new FormatException($"'{text}' is not IP:port, e.g. 127.0.0.1:9640, 0.0.0.0:9640 or [::1]:9640 " +
            "(a host name would listen on every interface)");
    }

    private static IPAddress? Address(string host)
    {
        if (host == "localhost")
            return IPAddress.Loopback;
        if (host.StartsWith('[') && host.EndsWith(']'))
            return IPAddress.TryParse(host[1..^1], out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? v6 : null;
        return IPAddress.TryParse(host, out var v4) && v4.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? v4 : null;
    }
}
