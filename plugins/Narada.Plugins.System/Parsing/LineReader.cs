namespace Narada.Plugins.System.Parsing;

/// <summary>Walks a kernel file line by line without allocating.</summary>
internal ref struct LineReader(ReadOnlySpan<byte> text)
{
    private ReadOnlySpan<byte> _rest = text;

    public bool TryRead(out ReadOnlySpan<byte> line)
    {
        if (_rest.IsEmpty)
        {
            line = default;
            return false;
        }
        var end = _rest.IndexOf((byte)'\n');
        if (end < 0)
        {
            line = _rest;
            _rest = default;
        }
        else
        {
            line = _rest[..end];
            _rest = _rest[(end + 1)..];
        }
        return true;
    }
}
