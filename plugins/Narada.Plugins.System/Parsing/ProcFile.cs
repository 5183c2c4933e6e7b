using System.Buffers;
using System.Runtime.InteropServices;
using Narada.Plugins.System.Native;

namespace Narada.Plugins.System.Parsing;

/// <summary>
/// Reads procfs and sysfs files whole into pooled buffers with plain open/read/close: they report size 0, so we
/// read until end of file, and sequential read() lets the kernel's seq_file continue where it stopped.
/// </summary>
internal static class ProcFile
{
    private const int InitialSize = 4096;

    // A runaway file (a mount table with thousands of entries is ~1 MB) must not eat the agent's memory.
    private const int MaxSize = 16 * 1024 * 1024;

    /// <summary>Reads <paramref name="path"/>; throws <see cref="CollectorSourceException"/> when it cannot.</summary>
    public static PooledText Read(string path)
    {
        var errno = ReadOrErrno(path, out var text);
        if (errno == 0)
            return text;
        throw new CollectorSourceException(path, ErrorFromErrno(path, errno));
    }

    /// <summary>
    /// False when the file is missing or the kernel refuses it (EINVAL for a down link's speed). No exception is made
    /// on the way: sysfs collectors expect such files on every collection.
    /// </summary>
    public static bool TryRead(string path, out PooledText text) => ReadOrErrno(path, out text) == 0;

    /// <summary>Reads a small file as trimmed text, or null when it is missing or unreadable.</summary>
    public static string? TryReadString(string path)
    {
        if (!TryRead(path, out var text))
            return null;
        using (text)
            return global::System.Text.Encoding.UTF8.GetString(text.Span.Trim("\n\r\t "u8));
    }

    /// <summary>0, or the errno that stopped the read (EFBIG for a file over <see cref="MaxSize"/>).</summary>
    private static int ReadOrErrno(string path, out PooledText text)
    {
        text = default;
        int fd;
        do
            fd = LibC.Open(path, LibC.OpenReadOnlyCloseOnExec);
        while (fd < 0 && Marshal.GetLastPInvokeError() == LibC.EINTR);
        if (fd < 0)
            return Marshal.GetLastPInvokeError();
        var buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length >= MaxSize)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        return LibC.EFBIG;
                    }
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                var read = ReadSome(fd, buffer.AsSpan(length));
                if (read < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    ArrayPool<byte>.Shared.Return(buffer);
                    return errno;
                }
                if (read == 0)
                    break;
                length += read;
            }
            text = new PooledText(buffer, length);
            return 0;
        }
        finally
        {
            LibC.Close(fd);
        }
    }

    private static unsafe int ReadSome(int fd, Span<byte> destination)
    {
        fixed (byte* start = destination)
        {
            nint read;
            do
                read = LibC.Read(fd, start, destination.Length);
            while (read < 0 && Marshal.GetLastPInvokeError() == LibC.EINTR);
            return (int)read;
        }
    }

    private static Exception ErrorFromErrno(string path, int errno) => errno switch
    {
        LibC.ENOENT => new FileNotFoundException(Marshal.GetPInvokeErrorMessage(errno), path),
        LibC.EACCES => new UnauthorizedAccessException(Marshal.GetPInvokeErrorMessage(errno)),
        LibC.EFBIG => new IOException($"{path} is larger than {MaxSize} bytes"),
        _ => new IOException(Marshal.GetPInvokeErrorMessage(errno), errno),
    };
}
