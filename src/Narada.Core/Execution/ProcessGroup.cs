using System.Runtime.InteropServices;

namespace Narada.Core.Execution;

/// <summary>A child started as the leader of its own session, so one signal reaches it and everything it spawned.</summary>
internal readonly partial struct ProcessGroup(int leaderPid)
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    public int Id { get; } = leaderPid;

    /// <summary>Signals every process of the group; ESRCH (nothing left) is the normal end and not an error.</summary>
    public void Signal(int signal)
    {
        if (Kill(-Id, signal) != 0)
        {
            // The leader may not have called setsid() yet; then the group does not exist but the leader does.
            Kill(Id, signal);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
