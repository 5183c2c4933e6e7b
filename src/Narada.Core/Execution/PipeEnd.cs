using System.IO.Pipes;
using System.Runtime.InteropServices;

namespace Narada.Core.Execution;

/// <summary>What is waiting at the read end of a child's output pipe, asked of the kernel without reading it.</summary>
internal static partial class PipeEnd
{
    private const short PollIn = 0x001, PollErr = 0x008, PollHup = 0x010;

    /// <summary>
    /// True when the pipe has bytes to read or has ended (every writer closed it): a drain of it is sure to finish as soon
    /// as it runs. False when it is empty and still held open by a writer, or when it cannot be asked.
    /// </summary>
    public static bool HasDataOrEnd(Stream stream)
    {
        if (stream is not PipeStream { SafePipeHandle: { IsInvalid: false, IsClosed: false } handle })
            return false;
        var entry = new PollFd { Fd = (int)handle.DangerousGetHandle(), Events = PollIn };
        return Poll(ref entry, 1, 0) == 1 && (entry.Revents & (PollIn | PollHup | PollErr)) != 0;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(ref PollFd fds, nuint count, int timeoutMilliseconds);
}
