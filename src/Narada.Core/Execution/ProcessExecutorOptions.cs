namespace Narada.Core.Execution;

/// <summary>How the executor starts and stops programs.</summary>
public sealed record ProcessExecutorOptions
{
    public static ProcessExecutorOptions Default { get; } = new();

    /// <summary>util-linux setsid, exec'd (never a shell) to make the child a session and group leader.</summary>
    public string SetsidPath { get; init; } = "/usr/bin/setsid";

    /// <summary>Time between SIGTERM and SIGKILL for a program past its timeout.</summary>
    public TimeSpan KillGrace { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long output may keep flowing after the program exited (from a descendant that left the group).</summary>
    public TimeSpan DrainGrace { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The only environment a program inherits from the agent; manifests add to it.</summary>
    public IReadOnlyDictionary<string, string> BaseEnvironment { get; init; } = new Dictionary<string, string>
    {
        ["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin",
        ["LANG"] = "C",
    };
}
