using System.Globalization;

namespace Narada.Cli.Hosting;

/// <summary>
/// gearmand's <c>--pid-file</c>: the process id, written once the server serves and removed when it stops cleanly, so
/// a service manager (or <c>kill $(cat …)</c>) finds the right process. A file another process rewrote is left alone.
/// </summary>
internal sealed class PidFile : IDisposable
{
    private readonly string _path;
    private readonly string _content;

    private PidFile(string path, string content)
    {
        _path = path;
        _content = content;
    }

    /// <summary>
    /// Writes this process's id to <paramref name="path"/>; null with <paramref name="error"/> when it cannot, or when the
    /// file names another process that is still running: a second server started by mistake must not take the pid
    /// file, and with it SIGHUP and the service manager, from the one that serves. A file left by a process that is
    /// gone, or whose number now belongs to a program other than narada, is replaced.
    /// </summary>
    public static PidFile? TryWrite(string path, out string? error)
    {
        string content = Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n";
        try
        {
            if (RunningProcessIn(path) is { } other)
            {
                error = $"the pid file {path} names process {other}, which is running (another narada jobserver?)";
                return null;
            }
            File.WriteAllText(path, content);
            error = null;
            return new PidFile(path, content);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"cannot write the pid file: {e.Message}";
            return null;
        }
    }

    /// <summary>The process id in the file when that process is a running narada other than this one; null otherwise.</summary>
    private static int? RunningProcessIn(string path)
    {
        if (!File.Exists(path))
            return null;
        if (!int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
            || pid <= 0 || pid == Environment.ProcessId)
            return null;
        // Running: /proc/PID exists and is not a zombie; and a narada, since after a crash and a reboot the number may
        // belong to anything.
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            bool running = !stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
            return running && IsNarada(File.ReadAllText($"/proc/{pid}/cmdline").Split('\0')) ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>narada, as the app host or native binary, or as <c>dotnet narada.dll</c>.</summary>
    private static bool IsNarada(string[] argv) =>
        argv.Take(2).Any(a => Path.GetFileName(a) is "narada" or "narada.dll");

    public void Dispose()
    {
        try
        {
            if (File.ReadAllText(_path) == _content)
                File.Delete(_path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // gone or replaced already: nothing of ours to remove
        }
    }
}
