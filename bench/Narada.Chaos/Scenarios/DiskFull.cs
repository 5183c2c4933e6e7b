using Narada.Chaos.Load;
using Narada.Chaos.Processes;
using Narada.Gearman.Transport;
using Narada.Testing;

namespace Narada.Chaos.Scenarios;

/// <summary>What <see cref="DiskFull"/> counted from the harness's ledger.</summary>
/// <param name="RunThoughRefused">Jobs that ran though their submitter was told the queue could not take them.</param>
/// <param name="Recovery">Space back → the first job acknowledged after it.</param>
public sealed record DiskFullFigures(int Rounds, int Acknowledged, int Lost, int Duplicates, long Refused, int RunThoughRefused, bool Crashed, string CrashOutput,
    Distribution Recovery, int Unrecovered, IReadOnlyList<string> LostSample);

/// <summary>
/// <c>disk-full</c>: <c>narada jobserver</c> keeps its queue on a small tmpfs; at random moments, with the workers away so
/// the queue has to grow, the harness fills the disk to the last byte under steady submits, holds it full, then gives
/// the space back and the workers return. At the end the server is killed with SIGKILL and started again before the
/// queue drains, so what it acknowledged while the disk was full has to be on the disk, not only in its memory.
/// </summary>
public static class DiskFull
{
    public sealed record Options
    {
        public FaultSchedule Schedule { get; init; } = new() { Rounds = 5 };
        public int DiskMegabytes { get; init; } = 16;
        public TimeSpan FullFor { get; init; } = TimeSpan.FromSeconds(5);
        public int Submitters { get; init; } = 2;
        public double JobsPerSecondEach { get; init; } = 200;

        public static Options Short { get; } = new() { Schedule = FaultSchedule.Short, FullFor = TimeSpan.FromSeconds(1.5), JobsPerSecondEach = 100 };
    }

    private const string Function = "chaos.job";

    public static async Task<DiskFullFigures> RunAsync(Options options, Action<string>? progress = null)
    {
        var directory = Directory.CreateTempSubdirectory("narada-chaos-disk-").FullName;
        try
        {
            await using var disk = await SmallDisk.MountAsync(Path.Combine(directory, "disk"), options.DiskMegabytes);
            await using var server = JobServerUnderTest.Narada(directory);
            server.QueueDirectory = disk.Path;
            await server.StartAsync();
            var address = new ServerAddress("127.0.0.1", server.Port);
            var ledger = new JobLedger();
            var faults = new FaultLoop(options.Schedule);
            bool crashed = false;
            var workers = new LedgerWorkers(address, Function, 1, 8, ledger);
            try
            {
                await using (var submitters = new SteadySubmitters(address, Function, options.Submitters, options.JobsPerSecondEach, ledger))
                {
                    await Wait.UntilAsync(() => ledger.ExecutedCount > 0, TimeSpan.FromSeconds(30), "first job to run");
                    await faults.RunAsync(async round =>
                    {
                        await workers.DisposeAsync();
                        long fullAt = Clock.NowMs;
                        disk.Fill();
                        long refusedBefore = ledger.RefusedCount;
                        await Task.Delay(options.FullFor);
                        disk.Empty();
                        long back = Clock.NowMs;
                        workers = new LedgerWorkers(address, Function, 1, 8, ledger);
                        crashed |= server.Crashed;
                        progress?.Invoke($"disk-full {round + 1}/{options.Schedule.Rounds}: full for {back - fullAt} ms, " +
                            $"{ledger.RefusedCount - refusedBefore} submits refused meanwhile; {ledger.AcknowledgedCount} acknowledged" +
                            (server.Crashed ? "; THE SERVER EXITED" : ""));
                        return (back, back);
                    }, ledger.FirstAcknowledgedAfter);
                    await submitters.StopAsync();
                }
                crashed |= server.Crashed;
                // What it acknowledged must be in the file: kill -9 before the queue drains, and start again on it.
                await server.KillAsync();
                await server.StartAsync();
                await Wait.UntilAsync(() => ledger.AllAcknowledgedExecuted, TimeSpan.FromSeconds(60), null);
            }
            finally
            {
                await workers.DisposeAsync();
            }
            var output = server.Output;
            await server.KillAsync();
            var lost = ledger.Lost();
            return new DiskFullFigures(options.Schedule.Rounds, ledger.AcknowledgedCount, lost.Count, ledger.Duplicates, ledger.RefusedCount, ledger.ExecutedUnacknowledged,
                crashed, crashed ? output : "", faults.Recovery, faults.Unrecovered, [.. lost.Take(10)]);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
