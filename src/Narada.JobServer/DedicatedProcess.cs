namespace Narada.JobServer;

/// <summary>
/// Runtime settings for a process that runs the job server and nothing else (<c>narada jobserver</c>). They are
/// process-wide, so a process that hosts other work beside the job server (<c>narada up</c>) leaves them alone.
/// </summary>
public static class DedicatedProcess
{
    /// <summary>The .NET runtime's switch for running socket continuations on its epoll threads.</summary>
    public const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// Runs socket continuations on the runtime's epoll threads (one per core) instead of handing each one to the thread
    /// pool. Every read then parses, dispatches and sends its replies on the thread that saw it, like an event loop:
    /// under pipelined load that halves the server's context switches and CPU per job (bench/RESULTS.md). It is safe
    /// here because nothing on the job server's socket path blocks: the SQLite queue commits on a task of its own and
    /// each send loop runs on the thread pool. Call it before the process opens its first socket; a value already in
    /// the environment (say <c>0</c> to turn it off) wins.
    /// </summary>
    public static void PreferInlineSocketCompletions()
    {
        if (Environment.GetEnvironmentVariable(InlineCompletionsVariable) is null)
            Environment.SetEnvironmentVariable(InlineCompletionsVariable, "1");
    }
}
