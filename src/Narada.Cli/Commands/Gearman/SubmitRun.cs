using System.Threading.Channels;
using Narada.Gearman.Client;
using Narada.Gearman.Transport;

namespace Narada.Cli.Commands.Gearman;

/// <summary>Runs <c>narada submit</c>: every workload to every function, foreground jobs in flight together, output in order.</summary>
internal static class SubmitRun
{
    /// <summary>How many foreground jobs may be in flight before reading more workloads.</summary>
    private const int InFlight = 64;

    public static async Task<int> RunAsync(SubmitRequest request, CancellationToken cancellationToken)
    {
        var stdout = Console.OpenStandardOutput();
        var stderr = Console.OpenStandardError();
        var output = new JobOutput(stdout, stderr, request.Prefix, request.Verbose, request.Json);
        await using var client = new GearmanClient(new GearmanClientOptions { Servers = request.Servers, Exceptions = true, Tls = request.Tls });
        try
        {
            return request.Background
                ? await SubmitBackgroundAsync(client, request, output, cancellationToken)
                : await SubmitForegroundAsync(client, request, output, cancellationToken);
        }
        catch (GearmanConnectionException e)
        {
            var names = string.Join(", ", request.Servers);
            var reason = e.Message.StartsWith(e.Server + ": ", StringComparison.Ordinal) ? e.Message[(e.Server.ToString().Length + 2)..] : e.Message;
            await Console.Error.WriteLineAsync($"narada: cannot connect to job server {names}: {reason}");
            return ExitCodes.CannotConnect;
        }
        catch (TimeoutException e)
        {
            await Console.Error.WriteLineAsync($"narada: {e.Message}");
            return ExitCodes.JobFailed;
        }
        catch (IOException e) when (!cancellationToken.IsCancellationRequested)
        {
            // stdout closed early (`narada submit ... | head -1`) or stdin unreadable: say so instead of a stack trace
            await Console.Error.WriteLineAsync($"narada: {e.Message}");
            return ExitCodes.JobFailed;
        }
        catch (GearmanServerException e)
        {
            await Console.Error.WriteLineAsync($"narada: the job server refused the job: {e.Message}");
            return ExitCodes.JobFailed;
        }
    }

    private static async Task<int> SubmitBackgroundAsync(GearmanClient client, SubmitRequest request, JobOutput output,
        CancellationToken cancellationToken)
    {
        await foreach (var workload in request.Workloads.ReadAsync(Console.OpenStandardInput(), cancellationToken))
        {
            foreach (var function in request.Functions)
            {
                var handle = await client.SubmitBackgroundAsync(function, workload, request.Options, cancellationToken);
                await output.QueuedAsync(function, handle, cancellationToken);
            }
        }
        return ExitCodes.Ok;
    }

    private static async Task<int> SubmitForegroundAsync(GearmanClient client, SubmitRequest request, JobOutput output,
        CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var started = Channel.CreateBounded<Task<GearmanJob>>(InFlight);
        var printer = PrintInOrderAsync(started.Reader, output, stop);
        try
        {
            await foreach (var workload in request.Workloads.ReadAsync(Console.OpenStandardInput(), stop.Token))
                foreach (var function in request.Functions)
                    await started.Writer.WriteAsync(client.StartAsync(function, workload, request.Options, stop.Token).AsTask(), stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // the printer failed; its exception is the one to report
        }
        finally
        {
            started.Writer.TryComplete();
        }
        return await printer;
    }

    private static async Task<int> PrintInOrderAsync(ChannelReader<Task<GearmanJob>> started, JobOutput output, CancellationTokenSource stop)
    {
        await Task.Yield();
        int exitCode = ExitCodes.Ok;
        try
        {
            await foreach (var start in started.ReadAllAsync())
            {
                var job = await start;
                exitCode = Math.Max(exitCode, await output.FollowAsync(job, stop.Token));
            }
            return exitCode;
        }
        catch
        {
            await stop.CancelAsync();
            // jobs already started must not leave unobserved faults behind
            while (started.TryRead(out var rest))
                _ = rest.ContinueWith(static t => t.Exception, TaskScheduler.Default);
            throw;
        }
    }
}
