namespace Narada.Testing;

/// <summary>A systemd unit file shipped in the repository, read as systemd reads its keys, and verified by systemd itself.</summary>
public sealed class SystemdUnit
{
    public SystemdUnit(params string[] repoRelativePath)
    {
        FileName = Path.GetFileName(repoRelativePath[^1]);
        Text = File.ReadAllText(Path.Combine([RepoPaths.Root, .. repoRelativePath]));
    }

    public string FileName { get; }

    public string Text { get; }

    /// <summary>Every value of <paramref name="key"/> (all its lines), split on spaces.</summary>
    public string[] Values(string key) =>
        [.. Text.Split('\n').Where(l => l.StartsWith(key + "=", StringComparison.Ordinal))
            .SelectMany(l => l[(key.Length + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))];

    /// <summary>The command line of ExecStart=, program first.</summary>
    public string[] ExecStart => Values("ExecStart");

    /// <summary>
    /// <c>systemd-analyze verify</c> on a copy in <paramref name="directory"/> whose ExecStart program is
    /// <paramref name="program"/>: verify also checks that the program exists, and the installed path does not here.
    /// </summary>
    public async Task<ProcessResult> VerifyAsync(string program, string directory)
    {
        var copy = Path.Combine(directory, FileName);
        await File.WriteAllTextAsync(copy, Text.Replace("ExecStart=" + ExecStart[0], "ExecStart=" + program, StringComparison.Ordinal));
        return await ExternalProcess.RunAsync(RequiredTool.Path("systemd-analyze", "systemd"), ["verify", copy]);
    }
}
