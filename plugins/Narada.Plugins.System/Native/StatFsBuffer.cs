using System.Runtime.InteropServices;

namespace Narada.Plugins.System.Native;

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
