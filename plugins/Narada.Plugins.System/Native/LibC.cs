using System.Runtime.InteropServices;

namespace Narada.Plugins.System.Native;

/// <summary>
/// The libc calls the collectors make directly: filesystem sizes, the clock tick rate, the kernel clock's discipline
/// (adjtimex, read-only), the local time zone, and a bare open/read/close for kernel files (File.OpenHandle adds fstat and two flock calls, which cost more than reading a procfs file).
/// </summary>
internal static partial class LibC
{
    private const string Library = "libc";

    // sysconf name numbers and open flags are the same on glibc and musl, x86_64 and aarch64.
    internal const int ScClockTicks = 2;
    internal const int OpenReadOnlyCloseOnExec = 0x80000;

    internal const int ENOENT = 2;
    internal const int EINTR = 4;
    internal const int EACCES = 13;
    internal const int EFBIG = 27;

    [LibraryImport(Library, EntryPoint = "sysconf", SetLastError = true)]
    internal static partial nint SysConf(int name);

    [LibraryImport(Library, EntryPoint = "statfs", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int StatFs(string path, out StatFsBuffer buffer);

    [LibraryImport(Library, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int flags);

    [LibraryImport(Library, EntryPoint = "read", SetLastError = true)]
    internal static unsafe partial nint Read(int fd, byte* buffer, nint count);

    [LibraryImport(Library, EntryPoint = "close")]
    internal static partial int Close(int fd);

    /// <summary>With <see cref="TimexBuffer.Modes"/> 0 this only reads: no privilege needed. Returns the clock state or -1.</summary>
    [LibraryImport(Library, EntryPoint = "adjtimex", SetLastError = true)]
    internal static partial int AdjTimex(ref TimexBuffer buffer);

    [LibraryImport(Library, EntryPoint = "tzset")]
    internal static partial void TzSet();

    [LibraryImport(Library, EntryPoint = "localtime_r")]
    internal static partial nint LocalTime(in long secondsSinceEpoch, out BrokenDownTime result);
}
