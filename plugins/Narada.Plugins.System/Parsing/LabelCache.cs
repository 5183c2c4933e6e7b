using System.Collections.Concurrent;
using System.Text;

namespace Narada.Plugins.System.Parsing;

/// <summary>
/// Label sets keyed by a device or CPU name as it appears in the kernel file, so repeated collections reuse
/// the same strings and dictionaries instead of allocating them every time. Values are never mutated once built.
/// </summary>
internal sealed class LabelCache<T>(Func<string, T> create) where T : class
{
    // Hosts with churning interfaces (veth per container) must not grow the cache forever.
    private const int MaxEntries = 4096;
    private const int MaxStackKey = 128;

    private readonly ConcurrentDictionary<string, T> _entries = new(StringComparer.Ordinal);
    private readonly Func<string, T> _create = create;

    public T Get(ReadOnlySpan<byte> utf8Key)
    {
        if (utf8Key.Length <= MaxStackKey)
        {
            Span<char> chars = stackalloc char[MaxStackKey];
            var count = Encoding.UTF8.GetChars(utf8Key, chars);
            if (_entries.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(chars[..count], out var hit))
                return hit;
        }
        if (_entries.Count >= MaxEntries)
            _entries.Clear();
        return _entries.GetOrAdd(Encoding.UTF8.GetString(utf8Key), _create);
    }

    /// <summary>The same lookup for a name that arrives as chars (a directory entry).</summary>
    public T Get(ReadOnlySpan<char> key)
    {
        if (_entries.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(key, out var hit))
            return hit;
        if (_entries.Count >= MaxEntries)
            _entries.Clear();
        return _entries.GetOrAdd(key.ToString(), _create);
    }
}
