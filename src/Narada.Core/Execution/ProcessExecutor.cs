using System.ComponentModel;
using System.Diagnostics;

namespace Narada.Core.Execution;

/// <summary>Runs a program without a shell in its own session, with a controlled environment, capped output and a timeout that kills its whole process group.</summary>
public sealed class ProcessExecutor(ProcessExecutorOptions? options = null) : IProcessExecutor
{
    private const string SetsidExecFailure = "setsid: failed to execute ";

    // The longest a late drain of output that is already in the pipes is waited for.
    private static readonly TimeSpan SlowDrainLimit = TimeSpan.FromSeconds(10);

    // How often a late drain is looked at again.
    private static readonly TimeSpan LateDrainCheck = TimeSpan.FromMilliseconds(50);

    private readonly ProcessExecutorOptions _options = options ?? ProcessExecutorOptions.Default;

    public async Task<ExecutionResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (ProcessSpecCheck.Problem(spec, _options.SetsidPath) is { } problem)
            return ExecutionResult.NotStarted(problem);

        var stopwatch = Stopwatch.StartNew();
        Process process;
        try
        {
            process = Process.Start(StartInfo(spec))
                ?? throw new InvalidOperationException("no process was started");
        }
        catch (Exception e) when (e is Win32Exception or IOException or InvalidOperationException)
        {
            return ExecutionResult.NotStarted($"{spec.Executable}: {e.Message}");
        }

        using (process)
        {
            var group = new ProcessGroup(process.Id);
            var stdout = new CappedOutput(spec.OutputCap);
            var stderr = new CappedOutput(spec.OutputCap);
            using var drainStop = new CancellationTokenSource();
            (Task Drain, Stream Pipe)[] pipes =
            [
                (stdout.DrainAsync(process.StandardOutput.BaseStream, drainStop.Token), process.StandardOutput.BaseStream),
                (stderr.DrainAsync(process.StandardError.BaseStream, drainStop.Token), process.StandardError.BaseStream),
            ];
            var feeding = FeedStdinAsync(process.StandardInput.BaseStream, spec.Stdin);

            bool timedOut = false;
            using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                deadline.CancelAfter(spec.Timeout);
                try
                {
                    await process.WaitForExitAsync(deadline.Token);
                }
                catch (OperationCanceledException)
                {
                    timedOut = !cancellationToken.IsCancellationRequested;
                    await TerminateAsync(process, group);
                }
            }

            // Whatever the program left running in its group (background children) does not outlive it.
            group.Signal(ProcessGroup.SigKill);
            await FinishDrainingAsync(pipes, drainStop);
            await feeding;
            stopwatch.Stop();
            cancellationToken.ThrowIfCancellationRequested();

            int exitCode = process.HasExited ? process.ExitCode : -1;
            string stderrText = stderr.Text;
            // setsid reports an exec failure (e.g. a missing #! interpreter) itself, with 126 or 127.
            if (exitCode is 126 or 127 && stderrText.StartsWith(SetsidExecFailure, StringComparison.Ordinal))
                return ExecutionResult.NotStarted(stderrText.TrimEnd()[SetsidExecFailure.Length..]) with { Duration = stopwatch.Elapsed };

            return new ExecutionResult
            {
                ExitCode = exitCode,
                Stdout = stdout.Text,
                Stderr = stderrText,
                StdoutTruncated = stdout.Truncated,
                StderrTruncated = stderr.Truncated,
                TimedOut = timedOut,
                Duration = stopwatch.Elapsed,
            };
        }
    }

    private ProcessStartInfo StartInfo(ProcessSpec spec)
    {
        var info = new ProcessStartInfo(_options.SetsidPath)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = spec.WorkingDirectory,
        };
        info.ArgumentList.Add(spec.Executable);
        foreach (var argument in spec.Arguments)
            info.ArgumentList.Add(argument);
        info.Environment.Clear();
        foreach (var (name, value) in _options.BaseEnvironment)
            info.Environment[name] = value;
        foreach (var (name, value) in spec.Environment)
            info.Environment[name] = value;
        return info;
    }

    private async Task TerminateAsync(Process process, ProcessGroup group)
    {
        group.Signal(ProcessGroup.SigTerm);
        using var grace = new CancellationTokenSource(_options.KillGrace);
        try
        {
            await process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            group.Signal(ProcessGroup.SigKill);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>
    /// Waits for the rest of the output. Once the program's group is gone its output is already in the pipes, and the
    /// drain only waits for its turn on a busy thread pool: it is given that time, however long (up to
    /// <see cref="SlowDrainLimit"/>), while the pipes have bytes or their end waiting. A descendant that made its own
    /// session escaped the group kill and may hold a pipe open and quiet for ever: that drain is stopped after
    /// <see cref="ProcessExecutorOptions.DrainGrace"/>.
    /// </summary>
    private async Task FinishDrainingAsync((Task Drain, Stream Pipe)[] pipes, CancellationTokenSource drainStop)
    {
        var draining = Task.WhenAll(pipes.Select(p => p.Drain));
        var waited = Stopwatch.StartNew();
        try
        {
            var wait = _options.DrainGrace;
            while (true)
            {
                try
                {
                    await draining.WaitAsync(wait);
                    return;
                }
                catch (TimeoutException) when (waited.Elapsed < SlowDrainLimit
                                               && pipes.Any(p => !p.Drain.IsCompleted && PipeEnd.HasDataOrEnd(p.Pipe)))
                {
                    // still output to take or an end to see: the drain is late, not stuck
                    wait = LateDrainCheck;
                }
            }
        }
        catch (TimeoutException)
        {
            drainStop.Cancel();
            try
            {
                await draining.WaitAsync(_options.DrainGrace);
            }
            catch (Exception e) when (e is OperationCanceledException or TimeoutException or IOException)
            {
                // What was read so far is the result; the pipe is closed when the process object is disposed.
            }
        }
        catch (IOException)
        {
        }
    }

    private static async Task FeedStdinAsync(Stream stdin, ReadOnlyMemory<byte> bytes)
    {
        try
        {
            if (!bytes.IsEmpty)
                await stdin.WriteAsync(bytes);
        }
        catch (IOException)
        {
            // The program exited or closed stdin without reading it all: not our failure to report.
        }
        finally
        {
            try
            {
                await stdin.DisposeAsync();
            }
            catch (IOException)
            {
            }
        }
    }
}
