using System.Runtime.InteropServices;

namespace Narada.Plugins.System.Native;

/// <summary>
/// <c>struct tm</c> on 64-bit Linux (glibc and musl alike): nine ints, then the zone's UTC offset and its abbreviation
/// (<c>tm_gmtoff</c> at 40, <c>tm_zone</c> at 48, 56 bytes in all).
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 56)]
internal struct BrokenDownTime
{
    [FieldOffset(32)] public int IsDaylightSaving;
    [FieldOffset(40)] public long UtcOffsetSeconds;
    [FieldOffset(48)] public nint ZoneAbbreviation;
}
