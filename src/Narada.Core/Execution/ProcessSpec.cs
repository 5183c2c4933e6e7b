namespace Narada.Core.Execution;

/// <summary>Everything needed to run one program: never a command line, always an executable and its argv.</summary>
public sealed record ProcessSpec
{
    /// <summary>Output kept per stream unless the spec says otherwise.</summary>
    public const long DefaultOutputCap = 1024 * 1024;

    /// <summary>Absolute path of the program to run.</summary>
    public required string Executable { get; init; }

    /// <summary>Arguments passed as argv[1..], each exactly as given (no shell, no splitting, no globbing).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Variables added to the minimal base environment (PATH, LANG); these win over the base.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Directory the program starts in.</summary>
    public string WorkingDirectory { get; init; } = "/";

    /// <summary>Bytes written to the program's stdin, which is then closed.</summary>
    public ReadOnlyMemory<byte> Stdin { get; init; } = ReadOnlyMemory<byte>.Empty;

    /// <summary>After this long the whole process group is terminated.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Bytes kept of stdout and of stderr each; the rest is read and discarded.</summary>
    public long OutputCap { get; init; } = DefaultOutputCap;
}
