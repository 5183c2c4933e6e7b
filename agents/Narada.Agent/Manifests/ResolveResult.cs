using Narada.Core.Execution;

namespace Narada.Agent.Manifests;

/// <summary>What <see cref="ManifestCatalog.Resolve"/> gives back: a <see cref="ResolvedCommand"/> ready to run, or a <see cref="ResolveError"/> saying why not.</summary>
public abstract record ResolveResult;

/// <summary>A manifest command with its parameters validated and placed into argv and environment.</summary>
public sealed record ResolvedCommand(
    string Plugin,
    string Command,
    string Executable,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Environment,
    TimeSpan Timeout,
    string Output) : ResolveResult
{
    /// <summary>The spec the executor runs; <paramref name="timeout"/> may shorten (never lengthen) the manifest's.</summary>
    public ProcessSpec ToProcessSpec(long outputCap = ProcessSpec.DefaultOutputCap, TimeSpan? timeout = null) => new()
    {
        Executable = Executable,
        Arguments = Arguments,
        Environment = Environment,
        Timeout = timeout is { } t && t > TimeSpan.Zero && t < Timeout ? t : Timeout,
        OutputCap = outputCap,
        WorkingDirectory = "/",
    };
}

/// <summary>Why a job's plugin command cannot be run; the agent answers it as an UNKNOWN result carrying <see cref="Message"/>.</summary>
public sealed record ResolveError(ResolveErrorKind Kind, string Message) : ResolveResult;

/// <summary>The kinds of reasons a plugin command does not resolve.</summary>
public enum ResolveErrorKind
{
    MalformedName,
    UnknownPlugin,
    UnknownCommand,
    Unavailable,
    UnknownParameter,
    MissingParameter,
    InvalidValue,
}
