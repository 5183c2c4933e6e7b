using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Narada.JobServer;

/// <summary>
/// What <c>-L/--listen</c> stands for, as gearmand reads it: an IP address, or a host name that listens on every
/// address getaddrinfo(3) gives for it (Debian's unit passes <c>--listen=localhost</c>, which is 127.0.0.1 and ::1 where
/// /etc/hosts says so).
/// </summary>
/// <remarks>
/// getaddrinfo is called directly: .NET's resolver adds every interface address when the name is this machine's own
/// host name, which would put the job server on every network where gearmand listens on what /etc/hosts says.
/// </remarks>
public static partial class ListenAddresses
{
    /// <summary>The addresses for <paramref name="value"/>, IPv4 first; throws <see cref="FormatException"/> saying why not.</summary>
    public static IReadOnlyList<IPAddress> Resolve(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (IPAddress.TryParse(value, out var address))
            return [address];
        if (value.Length == 0 || value.Contains('\0'))
            throw new FormatException("an empty name is not an address");
        var found = GetAddrInfo(value);
        if (found.Count == 0)
            throw new FormatException($"'{value}' has no address");
        return [.. found.Distinct().OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1)];
    }

    private const int AfInet = 2;
    private const int AfInet6 = 10;
    private const int SockStream = 1;
    private const int AiPassive = 0x1;

    /// <summary>struct addrinfo as glibc lays it out on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct AddrInfo
    {
        public int Flags;
        public int Family;
        public int SockType;
        public int Protocol;
        public uint AddrLen;
        public nint Addr;
        public nint CanonName;
        public nint Next;
    }

    [LibraryImport("libc", EntryPoint = "getaddrinfo", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int NativeGetAddrInfo(string node, string? service, ref AddrInfo hints, out nint result);

    [LibraryImport("libc", EntryPoint = "freeaddrinfo")]
    private static partial void FreeAddrInfo(nint result);

    [LibraryImport("libc", EntryPoint = "gai_strerror")]
    private static partial nint GaiStrError(int code);

    private static List<IPAddress> GetAddrInfo(string name)
    {
        var hints = new AddrInfo { Flags = AiPassive, SockType = SockStream };
        int code = NativeGetAddrInfo(name, null, ref hints, out nint list);
        if (code != 0)
            throw new FormatException($"'{name}' is not an IP address or a host name that resolves ({Marshal.PtrToStringUTF8(GaiStrError(code))})");
        var addresses = new List<IPAddress>();
        try
        {
            for (nint entry = list; entry != 0; entry = Marshal.PtrToStructure<AddrInfo>(entry).Next)
            {
                var info = Marshal.PtrToStructure<AddrInfo>(entry);
                if (info.Family == AfInet && info.AddrLen >= 8)
                {
                    // sockaddr_in: family (2), port (2), address (4)
                    addresses.Add(new IPAddress(ReadBytes(info.Addr + 4, 4)));
                }
                else if (info.Family == AfInet6 && info.AddrLen >= 28)
                {
                    // sockaddr_in6: family (2), port (2), flow info (4), address (16), scope id (4)
                    addresses.Add(new IPAddress(ReadBytes(info.Addr + 8, 16), (uint)Marshal.ReadInt32(info.Addr + 24)));
                }
            }
        }
        finally
        {
            FreeAddrInfo(list);
        }
        return addresses;
    }

    private static byte[] ReadBytes(nint from, int count)
    {
        var bytes = new byte[count];
        Marshal.Copy(from, bytes, 0, count);
        return bytes;
    }
}
