using System.Runtime.InteropServices;

namespace Narada.JobServer.Sessions.Loop;

/// <summary>The few Linux calls an event loop needs that .NET does not expose: epoll and an eventfd to wake it.</summary>
internal static partial class Epoll
{
    public const int CloExec = 0x80000;
    public const int Add = 1;
    public const int Delete = 2;
    public const uint In = 0x001;
    public const uint RdHup = 0x2000;
    public const int EIntr = 4;

    /// <summary>
    /// epoll_event as the x86-64 kernel lays it out: packed, 12 bytes. (arm64 pads it to 16, which is why the loop is
    /// only used on x86-64; see <see cref="EventLoop.IsSupported"/>.)
    /// </summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    public struct Event
    {
        public uint Events;
        public ulong Data;
    }

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    public static partial int Create(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    public static partial int Control(int epoll, int operation, int fd, ref Event e);

    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    public static partial int Wait(int epoll, [Out] Event[] events, int maxEvents, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    public static partial int EventFd(uint initial, int flags);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, ref ulong value, nint count);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, out ulong value, nint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);
}
