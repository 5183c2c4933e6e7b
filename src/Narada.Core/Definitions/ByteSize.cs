using System.Globalization;

using Narada.Core.Contracts;
using Narada.Core.Yaml;

namespace Narada.Core.Definitions;

/// <summary>Byte counts as written in YAML (the one grammar for sizes): <c>1048576</c>, <c>512KiB</c>, <c>1MiB</c> (also kB/MB as powers of ten).</summary>
public static class ByteSize
{
    public const string Expected = "a byte size such as 65536, 512KiB or 1MiB";

    private static readonly (string Suffix, long Factor)[] Units =
        [("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30), ("kB", 1000), ("KB", 1000), ("MB", 1000_000), ("GB", 1000_000_000), ("B", 1)];

    public static bool TryParse(string text, out long bytes)
    {
        var s = text.Trim();
        long factor = 1;
        foreach (var (suffix, unitFactor) in Units)
        {
            if (s.EndsWith(suffix, StringComparison.Ordinal))
            {
                (s, factor) = (s[..^suffix.Length].TrimEnd(), unitFactor);
                break;
            }
        }
        bytes = 0;
        if (!long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out long count) || count > long.MaxValue / factor)
            return false;
        bytes = count * factor;
        return true;
    }
}
