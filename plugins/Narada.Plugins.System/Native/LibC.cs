using System.Runtime.InteropServices;

namespace Narada.Plugins.System.Native;

/// <summary>The two libc calls procfs cannot answer: filesystem sizes and the kernel's clock tick rate.</summary>
internal static partial class LibC
{
    private const string Library = "libc";

    // sysconf name numbers are identical on glibc and musl for Linux.
    internal const int ScClockTicks = 2;

    [LibraryImport(Library, EntryPoint = "sysconf", SetLastError = true)]
    internal static partial nint SysConf(int name);

    [LibraryImport(Library, EntryPoint = "statfs", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int StatFs(string path, out StatFsBuffer buffer);
}

/// <summary><c>struct statfs</c> as laid out on 64-bit Linux (x86_64, aarch64, riscv64: every field a long).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct StatFsBuffer
{
    public long Type;
    public long BlockSize;
    public ulong Blocks;
    public ulong BlocksFree;
    public ulong BlocksAvailable;
    public ulong Files;
    public ulong FilesFree;
    public long FsId;
    public long NameLength;
    public long FragmentSize;
    public long Flags;
    public long Spare0;
    public long Spare1;
    public long Spare2;
    public long Spare3;
}
