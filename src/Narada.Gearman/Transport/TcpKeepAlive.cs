using System.Net.Sockets;

namespace Narada.Gearman.Transport;

/// <summary>
/// TCP keepalive as both ends of a Gearman connection use it. A peer whose host lost power sends no FIN, and a sleeping
/// worker (or a worker's connection as the job server sees it) carries nothing that would notice; only probes do, and
/// the system's default waits two hours for the first. With these defaults a silent peer is found within about
/// <see cref="DefaultIdle"/> + <see cref="DefaultProbes"/> × <see cref="DefaultInterval"/>, a rebooted one at the
/// first probe (it answers with a reset).
/// </summary>
public static class TcpKeepAlive
{
    /// <summary>Silence before the first probe.</summary>
    public static readonly TimeSpan DefaultIdle = TimeSpan.FromSeconds(60);

    /// <summary>Time between unanswered probes.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);

    /// <summary>Unanswered probes before the connection counts as broken.</summary>
    public const int DefaultProbes = 5;

    /// <summary>Turns keepalive on for <paramref name="socket"/> with these timers (whole seconds).</summary>
    public static void Enable(Socket socket, TimeSpan idle, TimeSpan interval, int probes)
    {
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, (int)idle.TotalSeconds);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, (int)interval.TotalSeconds);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, probes);
    }
}
