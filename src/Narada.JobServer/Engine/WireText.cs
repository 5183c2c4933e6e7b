using System.Text;

namespace Narada.JobServer.Engine;

/// <summary>Function names, uniques and handles are bytes on the wire; Latin-1 maps each byte to one char and back losslessly.</summary>
internal static class WireText
{
    public static string Decode(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    public static byte[] Encode(string text) => Encoding.Latin1.GetBytes(text);
}
