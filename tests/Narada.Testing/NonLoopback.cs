using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Narada.Testing;

/// <summary>An address of this machine that is not loopback, for tests of what a server allows other machines.</summary>
public static class NonLoopback
{
    /// <summary>The first IPv4 address of an interface that is up; fails loudly on a machine without one.</summary>
    public static IPAddress Address() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
        ?? throw new InvalidOperationException("this test needs a non-loopback IPv4 address on this machine to connect from");
}
