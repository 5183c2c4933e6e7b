namespace Narada.Core.Execution;

/// <summary>What a program did: exit code and raw output, or why it could not start.</summary>
public sealed record ExecutionResult
{
    /// <summary>Exit code of the program; -1 when it did not start, 128+N when killed by signal N.</summary>
    public int ExitCode { get; init; }

    /// <summary>Standard output as UTF-8 text, at most the output cap in bytes.</summary>
    public string Stdout { get; init; } = "";

    /// <summary>Standard error as UTF-8 text, at most the output cap in bytes.</summary>
    public string Stderr { get; init; } = "";

    /// <summary>True when stdout was longer than the cap and the rest was discarded.</summary>
    public bool StdoutTruncated { get; init; }

    /// <summary>True when stderr was longer than the cap and the rest was discarded.</summary>
    public bool StderrTruncated { get; init; }

    /// <summary>True when the program ran past its timeout and its process group was killed.</summary>
    public bool TimedOut { get; init; }

    /// <summary>Wall-clock time from start to the end of its output.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Why the program could not be started (missing, not executable, bad working directory); null when it ran.</summary>
    public string? StartError { get; init; }

    /// <summary>True when the program started and exited on its own before the timeout.</summary>
    public bool Completed => StartError is null && !TimedOut;

    internal static ExecutionResult NotStarted(string reason) => new() { ExitCode = -1, StartError = reason };
}
