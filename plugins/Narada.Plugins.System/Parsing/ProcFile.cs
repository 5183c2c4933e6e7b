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
        if (TryRead(path, out var text, out var error))
            return text;
        throw new CollectorSourceException(path, error!);
    }

    public static bool TryRead(string path, out PooledText text) => TryRead(path, out text, out _);

    /// <summary>Reads a small file as trimmed text, or null when it is missing or unreadable.</summary>
    public static string? TryReadString(string path)
    {
        if (!TryRead(path, out var text))
            return null;
        using (text)
            return global::System.Text.Encoding.UTF8.GetString(text.Span.Trim("\n\r\t "u8));
    }

    private static bool TryRead(string path, out PooledText text, out Exception? error)
    {
        text = default;
        int fd;
        do
            fd = LibC.Open(path, LibC.OpenReadOnlyCloseOnExec);
        while (fd < 0 && Marshal.GetLastPInvokeError() == LibC.EINTR);
        if (fd < 0)
        {
            error = ErrorFromErrno(path, Marshal.GetLastPInvokeError());
            return false;
        }
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
                        error = new IOException($"{path} is larger than {MaxSize} bytes");
                        ArrayPool<byte>.Shared.Return(buffer);
                        return false;
                    }
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                var read = ReadSome(fd, buffer.AsSpan(length));
                if (read < 0)
                {
                    error = ErrorFromErrno(path, Marshal.GetLastPInvokeError());
                    ArrayPool<byte>.Shared.Return(buffer);
                    return false;
                }
                if (read == 0)
                    break;
                length += read;
            }
            text = new PooledText(buffer, length);
            error = null;
            return true;
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
        _ => new IOException(Marshal.GetPInvokeErrorMessage(errno), errno),
    };
}
