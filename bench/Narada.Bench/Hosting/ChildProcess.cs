using System.Diagnostics;
using System.Text;
using Narada.Testing;

namespace Narada.Bench.Hosting;

/// <summary>A program the benchmark started: output captured, killed with its children on dispose.</summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ChildProcess(Process process) => _process = process;

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public string Output { get { lock (_output) return _output.ToString(); } }

    public static ChildProcess Start(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
            info.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            info.Environment[name] = value;
        var process = new Process { StartInfo = info };
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for the program to end and returns its exit code; kills it when it takes too long.</summary>
    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{_process.StartInfo.FileName} did not finish within {timeout}: {Output}");
        }
        return _process.ExitCode;
    }

    /// <summary>Resident and peak resident memory in KiB, from /proc/&lt;pid&gt;/status.</summary>
    public (long RssKb, long PeakKb) Memory()
    {
        long rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                rss = ParseKb(line);
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                peak = ParseKb(line);
        }
        return (rss, peak);
    }

    /// <summary>User plus system CPU seconds the process has used, from /proc/&lt;pid&gt;/stat.</summary>
    public double CpuSeconds() => ProcStat.CpuSeconds(Id);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // already reaped
        }
        _process.Dispose();
    }

    private static long ParseKb(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
        {
            // a chatty peer must not grow the benchmark's memory without bound
            if (_output.Length < 64 * 1024)
                _output.Append(line).Append('\n');
        }
    }
}
