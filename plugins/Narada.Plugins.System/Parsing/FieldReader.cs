using System.Globalization;

namespace Narada.Plugins.System.Parsing;

/// <summary>Splits one line into whitespace-separated fields and parses numbers straight from the UTF-8 bytes.</summary>
internal ref struct FieldReader(ReadOnlySpan<byte> line)
{
    private ReadOnlySpan<byte> _rest = line;

    public bool TryNext(out ReadOnlySpan<byte> field)
    {
        var start = 0;
        while (start < _rest.Length && IsSpace(_rest[start]))
            start++;
        if (start == _rest.Length)
        {
            field = default;
            _rest = default;
            return false;
        }
        var end = start;
        while (end < _rest.Length && !IsSpace(_rest[end]))
            end++;
        field = _rest[start..end];
        _rest = _rest[end..];
        return true;
    }

    /// <summary>The next field as an unsigned integer; false when missing or not a number.</summary>
    public bool TryNextUInt64(out ulong value)
    {
        value = 0;
        return TryNext(out var field) && ulong.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    public bool TryNextDouble(out double value)
    {
        value = 0;
        return TryNext(out var field) && double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r';
}
