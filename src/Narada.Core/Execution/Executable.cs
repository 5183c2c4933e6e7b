using System.Runtime.InteropServices;

namespace Narada.Core.Execution;

/// <summary>What the kernel will say about running a program, asked before it is started.</summary>
public static partial class Executable
{
    private const int ExecuteOk = 1;

    /// <summary>True when the calling user may execute <paramref name="path"/>, as the kernel will decide at exec time.</summary>
    public static bool MayRun(string path) => Access(path, ExecuteOk) == 0;

    [LibraryImport("libc", EntryPoint = "access", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Access(string path, int mode);
}
