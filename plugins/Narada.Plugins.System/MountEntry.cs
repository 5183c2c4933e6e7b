using System.Text;
using Narada.Plugins.System.Parsing;

namespace Narada.Plugins.System;

/// <summary>One line of the mount table (<c>/proc/self/mounts</c>): device, mount point, type and options.</summary>
public sealed record MountEntry(string Device, string MountPoint, string FsType, string Options)
{
    /// <summary>True when mounted read-only (an exact <c>ro</c> option, as node_exporter checks).</summary>
    public bool ReadOnly
    {
        get
        {
            foreach (var range in Options.AsSpan().Split(','))
                if (Options.AsSpan()[range].SequenceEqual("ro"))
                    return true;
            return false;
        }
    }

    /// <summary>Parses a mount table; lines with fewer than four fields are skipped.</summary>
    public static List<MountEntry> ParseTable(ReadOnlySpan<byte> text)
    {
        var entries = new List<MountEntry>();
        var lines = new LineReader(text);
        while (lines.TryRead(out var line))
        {
            var fields = new FieldReader(line);
            if (fields.TryNext(out var device) && fields.TryNext(out var mountPoint) && fields.TryNext(out var fsType)
                && fields.TryNext(out var options))
                entries.Add(new MountEntry(Unescape(device), Unescape(mountPoint), Encoding.UTF8.GetString(fsType),
                    Encoding.UTF8.GetString(options)));
        }
        return entries;
    }

    /// <summary>The kernel writes space, tab, newline and backslash in paths as three-digit octal escapes (\040).</summary>
    internal static string Unescape(ReadOnlySpan<byte> field)
    {
        if (field.IndexOf((byte)'\\') < 0)
            return Encoding.UTF8.GetString(field);
        var bytes = new byte[field.Length];
        var length = 0;
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && IsOctal(field[i + 1]) && IsOctal(field[i + 2]) && IsOctal(field[i + 3]))
            {
                bytes[length++] = (byte)(((field[i + 1] - '0') << 6) | ((field[i + 2] - '0') << 3) | (field[i + 3] - '0'));
                i += 3;
            }
            else
            {
                bytes[length++] = field[i];
            }
        }
        return Encoding.UTF8.GetString(bytes, 0, length);
    }

    private static bool IsOctal(byte b) => b is >= (byte)'0' and <= (byte)'7';
}
