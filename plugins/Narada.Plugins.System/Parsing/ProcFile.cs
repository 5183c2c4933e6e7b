using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace Narada.Plugins.System.Parsing;

/// <summary>Reads procfs and sysfs files whole into pooled buffers: they report size 0, so we read until end of file.</summary>
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
        byte[]? buffer = null;
        try
        {
            using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length >= MaxSize)
                        throw new IOException($"file is larger than {MaxSize} bytes");
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                var read = RandomAccess.Read(handle, buffer.AsSpan(length), length);
                if (read == 0)
                    break;
                length += read;
            }
            text = new PooledText(buffer, length);
            error = null;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            if (buffer is not null)
                ArrayPool<byte>.Shared.Return(buffer);
            text = default;
            error = e;
            return false;
        }
    }
}
