using System.Globalization;

namespace Narada.Plugins.System.Parsing;

/// <summary>One-value sysfs files: trimmed text, and integers written in decimal or as <c>0x</c> hex (flags, dev_id).</summary>
internal static class SysfsValue
{
    private static ReadOnlySpan<byte> Blanks => "\n\r\t "u8;

    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> text) => text.Trim(Blanks);

    /// <summary>Reads <paramref name="path"/> as an integer; false when it cannot be read (EINVAL on a down link) or is not one.</summary>
    public static bool TryReadInt64(string path, out long value)
    {
        value = 0;
        if (!ProcFile.TryRead(path, out var text))
            return false;
        using (text)
            return TryParseInt64(Trim(text.Span), out value);
    }

    public static bool TryParseInt64(ReadOnlySpan<byte> text, out long value)
    {
        if (text.StartsWith("0x"u8) || text.StartsWith("0X"u8))
        {
            var parsed = ulong.TryParse(text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex);
            value = (long)hex;
            return parsed;
        }
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }
}
