namespace Narada.Agent.Apply;

/// <summary>How a validate or on_change command ended.</summary>
/// <param name="ExitCode">The exit code, or null when the process never started or was killed.</param>
/// <param name="Output">Standard output then standard error, capped.</param>
/// <param name="TimedOut">The process tree was killed at the timeout.</param>
/// <param name="StartError">Why the process could not be started, when it could not.</param>
/// <param name="Cancelled">The apply was cancelled while the command ran, and the command was killed.</param>
public sealed record CommandOutcome(int? ExitCode, string Output, bool TimedOut = false, string? StartError = null, bool Cancelled = false)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut && StartError is null && !Cancelled;

    /// <summary>One line saying how the command ended, for messages.</summary>
    public string Describe() =>
        Cancelled ? "was cancelled"
        : StartError is not null ? $"could not start: {StartError}"
        : TimedOut ? "timed out and was killed"
        : $"exited with code {ExitCode}";
}
