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

    /// <summary>Writes this process's id to <paramref name="path"/>; null with <paramref name="error"/> when it cannot.</summary>
    public static PidFile? TryWrite(string path, out string? error)
    {
        string content = Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n";
        try
        {
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
