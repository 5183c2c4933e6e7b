namespace Narada.Core.Execution;

/// <summary>Reasons a spec cannot be run, found before anything is started so they become a start error, not a crash.</summary>
internal static class ProcessSpecCheck
{
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(1);

    public static string? Problem(ProcessSpec spec, string setsidPath)
    {
        if (!Path.IsPathFullyQualified(spec.Executable))
            return $"executable '{spec.Executable}' is not an absolute path";
        if (spec.Executable.Contains('\0') || spec.Arguments.Any(a => a.Contains('\0')))
            return "executable or argument contains a NUL character";
        if (spec.Environment.Any(v => v.Key.Length == 0 || v.Key.Contains('=') || v.Key.Contains('\0') || v.Value.Contains('\0')))
            return "environment variable name is empty or contains '=' or NUL, or its value contains NUL";
        if (Directory.Exists(spec.Executable))
            return $"{spec.Executable}: is a directory";
        if (!File.Exists(spec.Executable))
            return $"{spec.Executable}: no such file";
        if (!Executable.MayRun(spec.Executable))
            return $"{spec.Executable}: permission denied (not executable)";
        if (!Directory.Exists(spec.WorkingDirectory))
            return $"working directory {spec.WorkingDirectory}: no such directory";
        if (spec.Timeout <= TimeSpan.Zero || spec.Timeout > MaxTimeout)
            return $"timeout must be positive and at most a day, not {spec.Timeout}";
        if (spec.OutputCap < 0)
            return $"output cap must not be negative, not {spec.OutputCap}";
        if (!File.Exists(setsidPath))
            return $"{setsidPath} (util-linux) is needed to run programs in their own process group and is missing";
        return null;
    }
}
