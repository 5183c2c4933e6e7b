namespace Narada.Plugins.System;

/// <summary>Where the collectors find the kernel's pseudo filesystems; point them at fixture directories to test.</summary>
public sealed record SystemPaths
{
    public static SystemPaths Default { get; } = new();

    /// <summary>The procfs mount, <c>/proc</c> by default.</summary>
    public string Proc { get; init; } = "/proc";

    /// <summary>The sysfs mount, <c>/sys</c> by default.</summary>
    public string Sys { get; init; } = "/sys";

    /// <summary>The configuration directory holding <c>os-release</c>, <c>/etc</c> by default.</summary>
    public string Etc { get; init; } = "/etc";

    /// <summary>The root filesystem, for marker files such as <c>/.dockerenv</c>.</summary>
    public string Root { get; init; } = "/";

    internal string ProcFile(string relative) => Path.Combine(Proc, relative);

    internal string SysFile(string relative) => Path.Combine(Sys, relative);
}
