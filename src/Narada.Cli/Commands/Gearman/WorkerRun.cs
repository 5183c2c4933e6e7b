using Narada.Gearman.Worker;

namespace Narada.Cli.Commands.Gearman;

/// <summary>Runs <c>narada worker</c>: registers the functions, serves one job at a time, stops after <c>-c</c> jobs or on Ctrl-C.</summary>
internal static class WorkerRun
{
    /// <summary>How long the first registration may take before the verb gives up with exit 3.</summary>
    private static readonly TimeSpan ConnectDeadline = TimeSpan.FromSeconds(3);

    public static async Task<int> RunAsync(WorkerRequest request, CancellationToken cancellationToken)
    {
        var options = new GearmanWorkerOptions
        {
            Servers = request.Servers,
            Tls = request.Tls,
            ClientId = "narada-worker",
            ConnectTimeout = ConnectDeadline,
            StopTimeout = TimeSpan.FromSeconds(10),
        };
        await using var worker = new GearmanWorker(options);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var stdout = Console.OpenStandardOutput();
        var command = request.Command is null ? null : new CommandJob(request.Command, request.Lines);
        int jobs = 0;

        async ValueTask<ReadOnlyMemory<byte>> Serve(GearmanJobContext job, CancellationToken jobToken)
        {
            try
            {
                if (request.Verbose)
                    await Console.Error.WriteLineAsync($"narada worker: job {job.Handle} for {job.Function} ({job.Payload.Length} bytes)");
                if (command is not null)
                    return await command.RunAsync(job, jobToken);
                // gearman -w without a command prints the workload and answers nothing
                await stdout.WriteAsync(job.Payload, jobToken);
                await stdout.FlushAsync(jobToken);
                return ReadOnlyMemory<byte>.Empty;
            }
            finally
            {
                // a graceful stop still reports this job before the worker exits
                if (request.Count is { } limit && Interlocked.Increment(ref jobs) >= limit)
                    await stop.CancelAsync();
            }
        }

        foreach (var function in request.Functions)
            worker.Register(function, Serve);
        var run = worker.RunAsync(stop.Token);
        var first = await Task.WhenAny(worker.Registered, run, Task.Delay(ConnectDeadline, cancellationToken));
        if (first != worker.Registered && !cancellationToken.IsCancellationRequested)
        {
            await stop.CancelAsync();
            await run;
            await Console.Error.WriteLineAsync($"narada worker: cannot connect to job server {string.Join(", ", request.Servers)}");
            return ExitCodes.CannotConnect;
        }
        await run;
        return ExitCodes.Ok;
    }
}
