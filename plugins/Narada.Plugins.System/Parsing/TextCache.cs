namespace Narada.Plugins.System.Parsing;

/// <summary>
/// What was built from the last text a file held (label sets, info samples), rebuilt only when the text changes, so a
/// file that reads the same every time (operstate, the clocksource list) costs a comparison, not an allocation.
/// Safe for concurrent collections: the text and its value are replaced together as one immutable entry.
/// </summary>
internal sealed class TextCache<T>(Func<string, T> build)
{
    private sealed record Entry(byte[] Text, T Value);

    private readonly Func<string, T> _build = build;
    private Entry? _last;

    public T Get(ReadOnlySpan<byte> text)
    {
        var last = Volatile.Read(ref _last);
        if (last is not null && text.SequenceEqual(last.Text))
            return last.Value;
        var entry = new Entry(text.ToArray(), _build(global::System.Text.Encoding.UTF8.GetString(text)));
        Volatile.Write(ref _last, entry);
        return entry.Value;
    }
}
