namespace Narada.Gearman.Client;

/// <summary>
/// Picks the server for a unique key exactly as the Perl Gearman::Client does, so Perl and Narada clients sharing one
/// server list send the same unique to the same server and coalescing still works across the pool:
/// <c>((crc32(unique) &gt;&gt; 16) &amp; 0x7fff) % serverCount</c>, with CRC-32/IEEE as String::CRC32 computes it.
/// </summary>
internal static class UniqueHash
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>The index of the first server to try for this key.</summary>
    public static int ServerIndex(ReadOnlySpan<byte> key, int serverCount) =>
        (int)(((Crc32(key) >> 16) & 0x7fff) % (uint)serverCount);

    /// <summary>CRC-32 (IEEE 802.3, reflected, as zlib and String::CRC32).</summary>
    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data)
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
