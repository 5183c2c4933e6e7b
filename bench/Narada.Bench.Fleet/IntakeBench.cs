using static Narada.Bench.Fleet.BenchReport;

namespace Narada.Bench.Fleet;

/// <summary>
/// <c>intake [--hosts N]</c>: the controller's result intake alone, in this process (no job server round trips): every
/// host's heartbeat, then every (check, host) result twice into <c>ResultIntake.Handle</c>, the SQLite history written
/// as it goes. CPU, allocation and GC pause per result, and the managed memory held per check afterwards: the figures
/// issue #24 sets for 100,000 hosts × 10 checks (10,000 results per CPU-second, 1 GB).
/// </summary>
internal static class IntakeBench
{
    public static async Task<BenchReport> RunAsync()
    {
        var work = Directory.CreateTempSubdirectory("narada-bench-intake-").FullName;
        try
        {
            var intake = await ControllerBench.IntakeCapacityAsync(work);
            var checks = SimulatedFleet.Hosts * SimulatedFleet.ChecksPerHost;
            var report = new BenchReport("Controller", $"intake at {SimulatedFleet.Hosts:N0} hosts");
            report.Line($"`ResultIntake.Handle` in one thread for {SimulatedFleet.Hosts:N0} hosts × {SimulatedFleet.ChecksPerHost} checks: " +
                        $"{SimulatedFleet.Hosts:N0} heartbeats, then {checks:N0} results twice (the second pass advances states that " +
                        "exist), the SQLite history committed before the clock stops. CPU is this whole process's (the history " +
                        "writer's thread and the GC's included).");
            report.Line($"Machine: {Machine()}.");
            report.Line();
            report.Header(["measurement", "value"]);
            report.Row(["messages taken in", $"{intake.Results:N0} in {F(intake.Seconds, "0.0")} s = {F(intake.PerSecond, "0")}/s"]);
            report.Row(["CPU per message", $"{F(intake.CpuSecondsPerResult * 1e6, "0.0")} µs = {F(1 / intake.CpuSecondsPerResult, "0")} per CPU-second"]);
            report.Row(["allocated per message", $"{F(intake.AllocatedPerResult, "0")} B"]);
            report.Row(["GC pauses over the run", $"{F(intake.GcPauseSeconds, "0.0")} s"]);
            report.Row(["managed memory held afterwards, per check (hosts included)",
                $"{F(intake.BytesPerCheck, "0")} B = {F(intake.BytesPerCheck * checks / 1e6, "0")} MB for the fleet"]);
            Console.Error.WriteLine($"  intake: {F(intake.PerSecond, "0")}/s, {F(intake.CpuSecondsPerResult * 1e6, "0.0")} µs CPU, " +
                                    $"{F(intake.AllocatedPerResult, "0")} B allocated per message, {F(intake.BytesPerCheck, "0")} B held per check");
            return report;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
