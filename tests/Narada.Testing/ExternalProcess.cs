using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace Narada.Testing;

/// <summary>A real program started by a test: output captured, killed with its children on dispose.</summary>
public sealed class ExternalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static readonly string Env = RequiredTool.Path("env", "coreutils");

    private readonly string _file;

    // Programs a test started and has not disposed (a fixture whose disposal threw part way, a test that failed before
    // its await using): killed when the test process ends, so a run leaves no gearmand or agent behind.
    private static readonly ConcurrentDictionary<ExternalProcess, byte> Running = new();

    static ExternalProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var (left, _) in Running)
            left.Kill();
    };

    private ExternalProcess(Process process, string file)
    {
        _process = process;
        _file = file;
        process.OutputDataReceived += (_, e) => Append(_stdout, e.Data, _stdoutClosed);
        process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data, _stderrClosed);
    }

    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }
    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;
    public StreamWriter StandardInput => _process.StandardInput;

    /// <summary>
    /// Starts <paramref name="file"/> with <paramref name="args"/>; stdin stays open for the caller. It starts as a
    /// terminal's foreground job would, with SIGINT and SIGQUIT at their defaults: a test run started in the background
    /// (<c>scripts/test &amp;</c>) passes those on ignored, and a Ctrl-C test would then wait for nothing.
    /// </summary>
    public static ExternalProcess Start(string file, IEnumerable<string> args, IDictionary<string, string>? environment = null,
        string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(Env)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        info.ArgumentList.Add("--default-signal=INT,QUIT");
        info.ArgumentList.Add("--");
        info.ArgumentList.Add(file);
        foreach (var a in args)
            info.ArgumentList.Add(a);
        if (environment is not null)
            foreach (var (k, v) in environment)
                info.Environment[k] = v;
        var process = new Process { StartInfo = info };
        var external = new ExternalProcess(process, file);
        process.Start();
        Running.TryAdd(external, 0);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return external;
    }

    /// <summary>
    /// Waits until stdout holds <paramref name="text"/>. A running program's lines reach this side through a pipe and a
    /// reader thread after whatever else the test saw first (a listening port, a reply), so output is waited for, never
    /// read at once; on timeout the output so far is in the exception.
    /// </summary>
    public Task WaitForStdoutAsync(string text, TimeSpan? timeout = null) => WaitForAsync(() => Stdout, "stdout", text, timeout);

    /// <summary>As <see cref="WaitForStdoutAsync"/>, for stderr.</summary>
    public Task WaitForStderrAsync(string text, TimeSpan? timeout = null) => WaitForAsync(() => Stderr, "stderr", text, timeout);

    private async Task WaitForAsync(Func<string> output, string name, string text, TimeSpan? timeout)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (!output().Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow >= deadline)
                throw new TimeoutException($"{_file}: no '{text}' on {name} within {timeout ?? TimeSpan.FromSeconds(15)}" +
                    $" (exited: {HasExited})\nstdout: {Stdout}\nstderr: {Stderr}");
            await Task.Delay(20);
        }
    }

    /// <summary>Runs a program to completion with <paramref name="stdin"/> as its input.</summary>
    public static async Task<ProcessResult> RunAsync(string file, IEnumerable<string> args, string? stdin = null,
        TimeSpan? timeout = null, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        await using var p = Start(file, args, environment, workingDirectory);
        if (stdin is not null)
            await p.StandardInput.WriteAsync(stdin);
        p.StandardInput.Close();
        return await p.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
    }

    /// <summary>Waits for exit and all output; throws with the output so far when it takes too long.</summary>
    public async Task<ProcessResult> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            await Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task).WaitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException(
                $"{_file} did not exit within {timeout}\nstdout: {Stdout}\nstderr: {Stderr}");
        }
        return new ProcessResult(_process.ExitCode, Stdout, Stderr);
    }

    /// <summary>SIGKILL to the program alone: quick enough for the little time a process gets at its exit (walking
    /// /proc for a whole tree is not).</summary>
    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill();
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // already gone
        }
    }

    public async ValueTask DisposeAsync()
    {
        Running.TryRemove(this, out _);
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
            // never started or already reaped
        }
        _process.Dispose();
    }

    private static void Append(StringBuilder sb, string? line, TaskCompletionSource closed)
    {
        if (line is null)
        {
            closed.TrySetResult();
            return;
        }
        lock (sb)
            sb.Append(line).Append('\n');
    }
}

/// <summary>How a finished program ended.</summary>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}
