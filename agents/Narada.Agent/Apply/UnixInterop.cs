using System.Runtime.InteropServices;

namespace Narada.Agent.Apply;

/// <summary>The few libc calls .NET does not expose: chown, user and group lookup, owner query, directory fsync.</summary>
/// <remarks>
/// DllImport with UTF-8 strings and blittable arguments: NativeAOT generates the stubs at compile time, and the
/// project does not enable unsafe code, which LibraryImport would require.
/// </remarks>
internal static class UnixInterop
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const uint StatxUid = 0x8;
    private const uint StatxGid = 0x10;
    private const int ORdOnly = 0;
    private const int OCloExec = 0x80000;
    private static readonly Lock PasswdLock = new();

#pragma warning disable SYSLIB1054 // LibraryImport needs AllowUnsafeBlocks, which this project does not set
    [DllImport("libc", EntryPoint = "chown", SetLastError = true)]
    private static extern int chown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint owner, uint group);

    [DllImport("libc", EntryPoint = "getpwnam", SetLastError = true)]
    private static extern IntPtr getpwnam([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    [DllImport("libc", EntryPoint = "getgrnam", SetLastError = true)]
    private static extern IntPtr getgrnam([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int close(int fd);
#pragma warning restore SYSLIB1054

    /// <summary>Changes owner and group; returns the errno text on failure, null on success.</summary>
    internal static string? ChangeOwner(string path, uint uid, uint gid) =>
        chown(path, uid, gid) == 0 ? null : Marshal.GetLastPInvokeErrorMessage();

    /// <summary>The uid of a user name, or null when no such user exists.</summary>
    internal static uint? UserId(string name)
    {
        lock (PasswdLock)
        {
            // struct passwd { char *pw_name; char *pw_passwd; uid_t pw_uid; gid_t pw_gid; ... }
            var entry = getpwnam(name);
            return entry == IntPtr.Zero ? null : (uint)Marshal.ReadInt32(entry, 2 * IntPtr.Size);
        }
    }

    /// <summary>The gid of a group name, or null when no such group exists.</summary>
    internal static uint? GroupId(string name)
    {
        lock (PasswdLock)
        {
            // struct group { char *gr_name; char *gr_passwd; gid_t gr_gid; ... }
            var entry = getgrnam(name);
            return entry == IntPtr.Zero ? null : (uint)Marshal.ReadInt32(entry, 2 * IntPtr.Size);
        }
    }

    /// <summary>The owner and group of an existing file, or null when they cannot be read.</summary>
    internal static (uint Uid, uint Gid)? Owner(string path)
    {
        // struct statx has the same layout on every architecture: stx_uid at 20, stx_gid at 24.
        var buffer = new byte[256];
        if (statx(AtFdCwd, path, 0, StatxUid | StatxGid, buffer) != 0)
            return null;
        return (BitConverter.ToUInt32(buffer, 20), BitConverter.ToUInt32(buffer, 24));
    }

    /// <summary>Whether <paramref name="path"/> (following symlinks) is a regular file; null when it does not exist.</summary>
    internal static bool? IsRegularFile(string path)
    {
        // stx_mode is a 16-bit field at offset 28; S_IFMT 0xF000, S_IFREG 0x8000.
        var buffer = new byte[256];
        if (statx(AtFdCwd, path, 0, StatxType, buffer) != 0)
            return null;
        return (BitConverter.ToUInt16(buffer, 28) & 0xF000) == 0x8000;
    }

    /// <summary>Flushes a directory entry change (a rename) to disk; returns the errno text on failure.</summary>
    internal static string? SyncDirectory(string directory)
    {
        var fd = open(directory, ORdOnly | OCloExec);
        if (fd < 0)
            return Marshal.GetLastPInvokeErrorMessage();
        try
        {
            return fsync(fd) == 0 ? null : Marshal.GetLastPInvokeErrorMessage();
        }
        finally
        {
            close(fd);
        }
    }
}
