using System.Buffers;
using System.Text;

namespace Narada.Core.Execution;

/// <summary>Drains one output pipe to its end, keeping the first <c>cap</c> bytes, so the child never blocks on a full pipe.</summary>
internal sealed class CappedOutput(long cap)
{
    private readonly MemoryStream _kept = new();

    public bool Truncated { get; private set; }

    public async Task DrainAsync(Stream source, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                long room = cap - _kept.Length;
                if (room > 0)
                    _kept.Write(buffer, 0, (int)Math.Min(room, read));
                if (read > room)
                    Truncated = true;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public string Text => Encoding.UTF8.GetString(_kept.GetBuffer(), 0, (int)_kept.Length);
}
