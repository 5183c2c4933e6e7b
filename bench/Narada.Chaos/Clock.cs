namespace Narada.Chaos;

/// <summary>Wall-clock milliseconds, the unit every ledger uses (the plugin scripts' <c>date +%s%3N</c> included).</summary>
public static class Clock
{
    public static long NowMs => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
