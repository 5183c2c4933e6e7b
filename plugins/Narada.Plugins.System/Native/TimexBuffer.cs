using System.Runtime.InteropServices;

namespace Narada.Plugins.System.Native;

/// <summary>
/// <c>struct timex</c> as laid out on 64-bit Linux (x86_64, aarch64: glibc's bits/timex.h with 64-bit longs), 208
/// bytes. Explicit offsets, checked against the C header with offsetof, so the padding after the ints is visible.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 208)]
internal struct TimexBuffer
{
    /// <summary>Bit in <see cref="Status"/>: offset and jitter are in nanoseconds rather than microseconds.</summary>
    public const int StatusNano = 0x2000;

    /// <summary>adjtimex's return value when the clock is not synchronised.</summary>
    public const int TimeError = 5;

    [FieldOffset(0)] public uint Modes;
    [FieldOffset(8)] public long Offset;
    [FieldOffset(16)] public long Frequency;
    [FieldOffset(24)] public long MaxError;
    [FieldOffset(32)] public long EstimatedError;
    [FieldOffset(40)] public int Status;
    [FieldOffset(48)] public long Constant;
    [FieldOffset(56)] public long Precision;
    [FieldOffset(64)] public long Tolerance;
    [FieldOffset(72)] public long TimeSeconds;
    [FieldOffset(80)] public long TimeMicroseconds;
    [FieldOffset(88)] public long Tick;
    [FieldOffset(96)] public long PpsFrequency;
    [FieldOffset(104)] public long Jitter;
    [FieldOffset(112)] public int Shift;
    [FieldOffset(120)] public long Stability;
    [FieldOffset(128)] public long JitterCount;
    [FieldOffset(136)] public long CalibrationCount;
    [FieldOffset(144)] public long ErrorCount;
    [FieldOffset(152)] public long StabilityCount;
    [FieldOffset(160)] public int Tai;
}
