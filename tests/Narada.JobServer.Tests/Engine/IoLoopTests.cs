using System.Text;
using Narada.Gearman.Client;
using Narada.Gearman.Transport;
using Narada.Gearman.Worker;
using Narada.JobServer.Tests.Support;

namespace Narada.JobServer.Tests.Engine;

/// <summary>
/// Several I/O loops (the default on a machine with many cores): a job's client and worker then usually sit on different
/// loops, so submits, assignments and forwarded results cross between them.
/// </summary>
public sealed class IoLoopTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task Pipelined_clients_and_workers_spread_over_the_loops_get_every_result_right(int loops)
    {
        await using var server = await TestServer.StartAsync(ServerKind.Narada, new JobServerOptions { IoThreads = loops });
        var address = new ServerAddress(server.Host, server.Port);
        using var stop = new CancellationTokenSource();
        var workers = new List<(GearmanWorker Worker, Task Run)>();
        try
        {
            for (int w = 0; w < 3; w++)
            {
                var worker = new GearmanWorker(new GearmanWorkerOptions { Servers = [address], Concurrency = 16 });
                string name = $"w{w}";
                worker.Register("tag", (job, _) => ValueTask.FromResult<ReadOnlyMemory<byte>>(
                    Encoding.UTF8.GetBytes($"{Encoding.UTF8.GetString(job.Payload.Span)}@{name}")));
                workers.Add((worker, worker.RunAsync(stop.Token)));
                await worker.Registered.WaitAsync(TimeSpan.FromSeconds(10));
            }

            var clients = Enumerable.Range(0, 3).Select(c => Task.Run(async () =>
            {
                await using var client = new GearmanClient(new GearmanClientOptions { Servers = [address] });
                var results = await Task.WhenAll(Enumerable.Range(0, 400).Select(async i =>
                {
                    var result = await client.SubmitAsync("tag", Encoding.UTF8.GetBytes($"c{c}-{i}"));
                    return (i, Text: Encoding.UTF8.GetString(result.Data.Span));
                }));
                return (c, results);
            })).ToArray();

            foreach (var (c, results) in await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(60)))
            {
                foreach (var (i, text) in results)
                    Assert.Matches($"^c{c}-{i}@w[0-2]$", text);
            }
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var (worker, run) in workers)
            {
                await worker.DisposeAsync();
                await run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
            }
        }
    }
}
