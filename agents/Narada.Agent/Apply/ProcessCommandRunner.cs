using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Narada.Agent.Apply;

/// <summary>Runs apply commands as real processes: argv only, no shell, killed with its whole tree at the timeout.</summary>
public sealed class ProcessCommandRunner : IApplyCommandRunner
{
    /// <summary>Most output kept from one command; the rest is read and dropped so the process never blocks on a full pipe.</summary>
    public const int OutputLimit = 64 * 1024;

    // A child that daemonizes may keep our pipes open after it exits; do not wait for it forever.
    private static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(2);

    public async Task<CommandOutcome> RunAsync(
        IReadOnlyList<string> argv, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (argv.Count == 0)
            return new CommandOutcome(null, "", StartError: "empty command");

        var startInfo = new ProcessStartInfo(argv[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in argv.Skip(1))
            startInfo.ArgumentList.Add(argument);

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            return new CommandOutcome(null, "", StartError: e.Message);
        }

        process.StandardInput.Close();
        var stdout = new CappedText(OutputLimit);
        var stderr = new CappedText(OutputLimit);
        using var drain = new CancellationTokenSource();
        var reading = Task.WhenAll(
            stdout.ReadAllAsync(process.StandardOutput, drain.Token),
            stderr.ReadAllAsync(process.StandardError, drain.Token));

        var timedOut = false;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            deadline.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Kill(process);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                timedOut = true;
            }
        }

        drain.CancelAfter(DrainGrace);
        try
        {
            await reading.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Output stays as far as it was read.
        }

        // Only after the readers are done, so nothing is left reading a disposed process's pipes.
        cancellationToken.ThrowIfCancellationRequested();
        var output = stdout.Text + stderr.Text;
        if (output.Length > OutputLimit)
            output = output[..OutputLimit];
        return new CommandOutcome(timedOut ? null : process.ExitCode, output, timedOut);
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the timeout and the kill.
        }
    }

    /// <summary>Reads a stream to its end, keeping only the first <c>limit</c> characters.</summary>
    private sealed class CappedText(int limit)
    {
        private readonly StringBuilder _text = new();

        public string Text => _text.ToString();

        public async Task ReadAllAsync(StreamReader reader, CancellationToken cancellationToken)
        {
            var buffer = new char[4096];
            int read;
            while ((read = await reader.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                var keep = Math.Min(read, limit - _text.Length);
                if (keep > 0)
                    _text.Append(buffer, 0, keep);
            }
        }
    }
}
