namespace Narada.Gearman.Worker;

/// <summary>Exponential reconnect delays with jitter, so workers of a restarted server do not all return at once.</summary>
internal static class ReconnectBackoff
{
    /// <summary>The delay before retry number <paramref name="attempt"/> (0 = first): between half and all of min·2^attempt, capped at max.</summary>
    public static TimeSpan Delay(int attempt, TimeSpan min, TimeSpan max)
    {
        double ceiling = Math.Min(max.TotalMilliseconds, min.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempt, 0, 30)));
        return TimeSpan.FromMilliseconds(ceiling / 2 + Random.Shared.NextDouble() * ceiling / 2);
    }
}
