namespace Narada.Agent.Apply;

/// <summary>How a validate or on_change command ended.</summary>
/// <param name="ExitCode">The exit code, or null when the process never started or was killed.</param>
/// <param name="Output">Standard output then standard error, capped.</param>
/// <param name="TimedOut">The process tree was killed at the timeout.</param>
/// <param name="StartError">Why the process could not be started, when it could not.</param>
public sealed record CommandOutcome(int? ExitCode, string Output, bool TimedOut = false, string? StartError = null)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut && StartError is null;

    /// <summary>One line saying how the command ended, for messages.</summary>
    public string Describe() =>
        StartError is not null ? $"could not start: {StartError}"
        : TimedOut ? "timed out and was killed"
        : $"exited with code {ExitCode}";
}
