namespace Narada.Chaos;

/// <summary>Waiting on a condition, never on a fixed sleep.</summary>
public static class Wait
{
    /// <summary>Waits for <paramref name="condition"/>; with a <paramref name="what"/>, not meeting it in time is an error,
    /// without one the wait just ends (a drain that stops making progress).</summary>
    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string? what) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, what);

    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string? what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                if (what is null)
                    return;
                throw new TimeoutException($"no {what} within {timeout}");
            }
            await Task.Delay(10);
        }
    }
}
