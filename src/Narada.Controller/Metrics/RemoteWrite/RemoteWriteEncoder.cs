using System.Buffers.Binary;
using Narada.Core.Metrics;

namespace Narada.Controller.Metrics.RemoteWrite;

/// <summary>
/// Prometheus remote write 1.0 bodies: a <c>prometheus.WriteRequest</c> in protobuf (written by hand: three small
/// messages), snappy block-compressed as the protocol wants. Each series carries <c>__name__</c> and its labels sorted
/// by name, and one sample.
/// </summary>
public static class RemoteWriteEncoder
{
    // WriteRequest.timeseries = 1; TimeSeries.labels = 1, samples = 2; Label.name = 1, value = 2; Sample.value = 1 (double), timestamp = 2 (int64).
    private const byte TimeSeriesTag = (1 << 3) | 2;
    private const byte LabelTag = (1 << 3) | 2;
    private const byte SampleTag = (2 << 3) | 2;
    private const byte NameTag = (1 << 3) | 2;
    private const byte ValueTag = (2 << 3) | 2;
    private const byte DoubleTag = (1 << 3) | 1;
    private const byte TimestampTag = (2 << 3) | 0;

    /// <summary>The protobuf WriteRequest for <paramref name="samples"/>, stamped <paramref name="nowMs"/> where a sample has no time.</summary>
    public static byte[] Encode(IEnumerable<Sample> samples, long nowMs)
    {
        using var request = new MemoryStream();
        using var series = new MemoryStream();
        Span<byte> point = stackalloc byte[1 + 8 + 1 + 10];
        foreach (var sample in samples)
        {
            series.SetLength(0);
            WriteLabel(series, "__name__", sample.Name);
            foreach (var (name, value) in sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
                WriteLabel(series, name, value);
            point[0] = DoubleTag;
            BinaryPrimitives.WriteDoubleLittleEndian(point[1..], sample.Value);
            point[9] = TimestampTag;
            int length = 10 + WriteVarint(point[10..], (ulong)(sample.TimestampMs ?? nowMs));
            series.WriteByte(SampleTag);
            WriteLength(series, length);
            series.Write(point[..length]);

            request.WriteByte(TimeSeriesTag);
            WriteLength(request, (int)series.Length);
            series.Position = 0;
            series.CopyTo(request);
        }
        return request.ToArray();
    }

    /// <summary>The body as sent: the WriteRequest, snappy-compressed.</summary>
    public static byte[] Compress(byte[] writeRequest) => IronSnappy.Snappy.Encode(writeRequest);

    private static void WriteLabel(Stream output, string name, string value)
    {
        int nameBytes = System.Text.Encoding.UTF8.GetByteCount(name);
        int valueBytes = System.Text.Encoding.UTF8.GetByteCount(value);
        int length = 1 + VarintLength((ulong)nameBytes) + nameBytes + 1 + VarintLength((ulong)valueBytes) + valueBytes;
        output.WriteByte(LabelTag);
        WriteLength(output, length);
        WriteString(output, NameTag, name, nameBytes);
        WriteString(output, ValueTag, value, valueBytes);
    }

    private static void WriteString(Stream output, byte tag, string text, int bytes)
    {
        output.WriteByte(tag);
        WriteLength(output, bytes);
        var buffer = bytes <= 512 ? stackalloc byte[bytes] : new byte[bytes];
        System.Text.Encoding.UTF8.GetBytes(text, buffer);
        output.Write(buffer);
    }

    private static void WriteLength(Stream output, int length)
    {
        Span<byte> buffer = stackalloc byte[10];
        output.Write(buffer[..WriteVarint(buffer, (ulong)length)]);
    }

    private static int WriteVarint(Span<byte> buffer, ulong value)
    {
        int i = 0;
        while (value >= 0x80)
        {
            buffer[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        buffer[i++] = (byte)value;
        return i;
    }

    private static int VarintLength(ulong value)
    {
        int n = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            n++;
        }
        return n;
    }
}
