using System.Buffers;

namespace Narada.Plugins.System.Parsing;

/// <summary>The bytes of one kernel file, in a pooled buffer that goes back to the pool on dispose.</summary>
internal struct PooledText : IDisposable
{
    private byte[]? _buffer;
    private readonly int _length;

    internal PooledText(byte[] buffer, int length)
    {
        _buffer = buffer;
        _length = length;
    }

    public readonly ReadOnlySpan<byte> Span => _buffer is null ? default : _buffer.AsSpan(0, _length);

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
