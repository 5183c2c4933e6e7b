namespace Narada.Plugins.System.Native;

/// <summary>USER_HZ, the unit of /proc/stat CPU times: asked of sysconf once, 100 if that fails (it is 100 on every mainstream Linux).</summary>
internal static class ClockTicks
{
    private const double Fallback = 100;

    public static double PerSecond { get; } = Query();

    private static double Query()
    {
        try
        {
            var ticks = LibC.SysConf(LibC.ScClockTicks);
            return ticks > 0 ? ticks : Fallback;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return Fallback;
        }
    }
}
