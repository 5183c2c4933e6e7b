namespace Narada.Plugins.System;

/// <summary>
/// node_exporter's default <c>--collector.diskstats.device-exclude</c>,
/// <c>^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$</c>: RAM disks, loop devices, floppies and partitions,
/// so that only whole disks are reported. Written out by hand to stay allocation-free.
/// </summary>
public static class DiskDeviceFilter
{
    /// <summary>True when node_exporter would not report <paramref name="device"/> (UTF-8 name from /proc/diskstats).</summary>
    public static bool IsExcluded(ReadOnlySpan<byte> device)
    {
        var digits = device.Length;
        while (digits > 0 && IsDigit(device[digits - 1]))
            digits--;
        if (digits == device.Length || digits == 0)
            return false;
        var prefix = device[..digits];
        if (prefix.SequenceEqual("ram"u8) || prefix.SequenceEqual("zram"u8) || prefix.SequenceEqual("loop"u8)
            || prefix.SequenceEqual("fd"u8))
            return true;
        if (prefix.Length == 3 && prefix[0] is (byte)'h' or (byte)'s' or (byte)'v' && prefix[1] == 'd' && IsLower(prefix[2]))
            return true;
        if (prefix.Length == 4 && prefix.StartsWith("xvd"u8) && IsLower(prefix[3]))
            return true;
        return prefix.StartsWith("nvme"u8) && prefix[^1] == 'p' && IsControllerNamespace(prefix[4..^1]);
    }

    // \d+n\d+
    private static bool IsControllerNamespace(ReadOnlySpan<byte> text)
    {
        var n = text.IndexOf((byte)'n');
        return n > 0 && n < text.Length - 1 && AllDigits(text[..n]) && AllDigits(text[(n + 1)..]);
    }

    private static bool AllDigits(ReadOnlySpan<byte> text)
    {
        foreach (var b in text)
            if (!IsDigit(b))
                return false;
        return true;
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    private static bool IsLower(byte b) => b is >= (byte)'a' and <= (byte)'z';
}
