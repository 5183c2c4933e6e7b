using Narada.Chaos.Load;
using Narada.Chaos.Processes;
using Narada.Gearman.Transport;

namespace Narada.Chaos.Scenarios;

/// <summary>What one server went through in <see cref="JobServerKill"/>, counted from the harness's ledger.</summary>
public sealed record JobServerKillFigures(string Server, int Rounds, int Acknowledged, int Executed, int Lost, int Duplicates,
    int ExecutedUnacknowledged, long Refused, Distribution FirstAcknowledged, Distribution FirstExecuted, int Unrecovered,
    int HarnessDescriptorsBefore, int HarnessDescriptorsAfter, int LeftoverProcesses, IReadOnlyList<string> LostSample);

/// <summary>
/// <c>jobserver-kill</c>: submitters send background jobs at a steady rate and workers run them, while the job server
/// (a process of its own with its persistent queue) is killed with SIGKILL at random moments and started again on the
/// same port and queue file. Every acknowledged job must run.
/// </summary>
public static class JobServerKill
{
    public sealed record Options
    {
        public FaultSchedule Schedule { get; init; } = new();
        public int Submitters { get; init; } = 4;
        public double JobsPerSecondEach { get; init; } = 100;
        public int Workers { get; init; } = 2;
        public int WorkerConcurrency { get; init; } = 8;

        /// <summary>How long the queue may take to drain once the load stops.</summary>
        public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(60);

        public static Options Short { get; } = new() { Schedule = FaultSchedule.Short, Submitters = 2, JobsPerSecondEach = 50, Workers = 1 };
    }

    private const string Function = "chaos.job";

    public static async Task<JobServerKillFigures> RunAsync(Func<string, JobServerUnderTest> server, Options options,
        Action<string>? progress = null)
    {
        var directory = Directory.CreateTempSubdirectory("narada-chaos-jobserver-").FullName;
        try
        {
            await using var target = server(directory);
            await target.StartAsync();
            var address = new ServerAddress("127.0.0.1", target.Port);
            var ledger = new JobLedger();
            var faults = new FaultLoop(options.Schedule);
            int descriptorsBefore, descriptorsAfter;
            await using (var workers = new LedgerWorkers(address, Function, options.Workers, options.WorkerConcurrency, ledger))
            {
                await workers.Registered.WaitAsync(TimeSpan.FromSeconds(30));
                await using (var submitters = new SteadySubmitters(address, Function, options.Submitters, options.JobsPerSecondEach, ledger))
                {
                    await Wait.UntilAsync(() => ledger.ExecutedCount > 0, TimeSpan.FromSeconds(30), "the first job to run");
                    descriptorsBefore = ProcessTable.Descriptors(Environment.ProcessId);
                    await faults.RunAsync(async round =>
                    {
                        long killAt = Clock.NowMs;
                        await target.KillAsync();
                        long dead = Clock.NowMs;
                        await target.StartAsync();
                        progress?.Invoke($"{target.Name}: kill {round + 1}/{options.Schedule.Rounds}, back after {Clock.NowMs - killAt} ms; " +
                            $"{ledger.AcknowledgedCount} acknowledged, {ledger.ExecutedCount} run");
                        return (killAt, dead);
                    }, ledger.FirstExecutedAfter);
                    await submitters.StopAsync();
                }
                // Drained: every acknowledged job ran, or nothing more runs for a while.
                await Wait.UntilAsync(() => ledger.AllAcknowledgedExecuted, options.DrainTimeout, null);
                descriptorsAfter = ProcessTable.Descriptors(Environment.ProcessId);
            }
            await target.KillAsync();
            var lost = ledger.Lost();
            return new JobServerKillFigures(target.Name, options.Schedule.Rounds, ledger.AcknowledgedCount, ledger.ExecutedCount, lost.Count,
                ledger.Duplicates, ledger.ExecutedUnacknowledged, ledger.RefusedCount, faults.RecoveryBy(ledger.FirstAcknowledgedAfter), faults.Recovery,
                faults.Unrecovered, descriptorsBefore, descriptorsAfter, ProcessTable.Matching(directory).Count, [.. lost.Take(10)]);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
