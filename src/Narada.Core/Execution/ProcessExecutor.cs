using System.ComponentModel;
using System.Diagnostics;

namespace Narada.Core.Execution;

/// <summary>Runs a program without a shell in its own session, with a controlled environment, capped output and a timeout that kills its whole process group.</summary>
public sealed class ProcessExecutor(ProcessExecutorOptions? options = null) : IProcessExecutor
{
    private const string SetsidExecFailure = "setsid: failed to execute ";

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
            var draining = Task.WhenAll(
                stdout.DrainAsync(process.StandardOutput.BaseStream, drainStop.Token),
                stderr.DrainAsync(process.StandardError.BaseStream, drainStop.Token));
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
            await FinishDrainingAsync(draining, drainStop);
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

    private async Task FinishDrainingAsync(Task draining, CancellationTokenSource drainStop)
    {
        try
        {
            // A descendant that made its own session escaped the group kill and may hold the pipes open.
            await draining.WaitAsync(_options.DrainGrace);
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
