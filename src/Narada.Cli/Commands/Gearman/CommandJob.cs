using System.ComponentModel;
using System.Diagnostics;
using Narada.Gearman.Worker;

namespace Narada.Cli.Commands.Gearman;

/// <summary>
/// Runs a worker's command for one job as <c>gearman -w -- cmd</c> does: no shell, the workload on stdin, stdout as the
/// result (or line by line as WORK_DATA), stderr passed through, a non-zero exit reported as WORK_FAIL.
/// </summary>
internal sealed class CommandJob(IReadOnlyList<string> argv, LineMode lines)
{
    public async ValueTask<ReadOnlyMemory<byte>> RunAsync(GearmanJobContext job, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(argv[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in argv.Skip(1))
            info.ArgumentList.Add(argument);
        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            await Console.Error.WriteLineAsync($"narada worker: cannot run '{argv[0]}': {e.Message}");
            throw new GearmanJobFailedException(e.Message, e);
        }
        try
        {
            var feed = FeedAsync(process, job.Payload, cancellationToken);
            ReadOnlyMemory<byte> result = ReadOnlyMemory<byte>.Empty;
            var stdout = process.StandardOutput.BaseStream;
            if (lines == LineMode.Whole)
            {
                using var all = new MemoryStream();
                await stdout.CopyToAsync(all, cancellationToken);
                result = all.ToArray();
            }
            else
            {
                await foreach (var line in WorkloadSource.LinesAsync(stdout, lines == LineMode.Strip, cancellationToken))
                    await job.SendDataAsync(line, cancellationToken);
            }
            await process.WaitForExitAsync(cancellationToken);
            await feed;
            if (process.ExitCode != 0)
            {
                await Console.Error.WriteLineAsync($"narada worker: '{argv[0]}' exited with {process.ExitCode}: job {job.Handle} failed");
                throw new GearmanJobFailedException($"exit code {process.ExitCode}");
            }
            return result;
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
    }

    private static async Task FeedAsync(Process process, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var stdin = process.StandardInput.BaseStream;
        try
        {
            await stdin.WriteAsync(payload, cancellationToken);
            await stdin.FlushAsync(cancellationToken);
        }
        catch (IOException)
        {
            // the command exited or closed stdin without reading it all, as `printf` or `head -1` may
        }
        finally
        {
            try { process.StandardInput.Close(); } catch (IOException) { }
        }
    }
}
