using System.Globalization;
using Narada.Chaos;
using Narada.Chaos.Processes;
using Narada.Chaos.Scenarios;

// dotnet run -c Release --project bench/Narada.Chaos -- <scenario> [--rounds N] [--seed S] [--write]   (see bench/README.md)
const string Usage = "usage: dotnet run -c Release --project bench/Narada.Chaos -- <jobserver-kill|agent-kill|controller-kill|network|disk-full|hung-plugin|all> " +
                     "[--rounds N] [--seed S] [--rate JOBS_PER_SECOND_PER_SUBMITTER] [--no-anchor] [--write]";

var rest = args.ToList();
bool write = rest.Remove("--write");
bool anchor = !rest.Remove("--no-anchor");
int? rounds = TakeInt(rest, "--rounds");
int? seed = TakeInt(rest, "--seed");
int? rate = TakeInt(rest, "--rate");
if (rest.Count != 1)
{
    Console.Error.WriteLine(Usage);
    return 2;
}
var schedule = new FaultSchedule();
schedule = schedule with { Rounds = rounds ?? schedule.Rounds, Seed = seed ?? schedule.Seed };
string command = "dotnet run -c Release --project bench/Narada.Chaos -- {0} --rounds {1}" +
    (rate is { } r ? $" --rate {r}" : "") + (anchor ? "" : " --no-anchor");
Func<Task<ChaosReport>>[] scenarios = rest[0] switch
{
    "jobserver-kill" => [() => JobServerKillReport(string.Format(CultureInfo.InvariantCulture, command, "jobserver-kill", schedule.Rounds))],
    "controller-kill" => [() => ControllerKillReport(string.Format(CultureInfo.InvariantCulture, command, "controller-kill", schedule.Rounds))],
    "agent-kill" => [() => AgentKillReport(string.Format(CultureInfo.InvariantCulture, command, "agent-kill", schedule.Rounds))],
    "network" => [() => NetworkReport(string.Format(CultureInfo.InvariantCulture, command, "network", schedule.Rounds))],
    "disk-full" => [() => DiskFullReport(string.Format(CultureInfo.InvariantCulture, command, "disk-full", rounds ?? new DiskFull.Options().Schedule.Rounds))],
    "hung-plugin" => [() => HungPluginReport(string.Format(CultureInfo.InvariantCulture, command, "hung-plugin", rounds ?? new HungPlugin.Options().Schedule.Rounds))],
    "all" => [() => JobServerKillReport(string.Format(CultureInfo.InvariantCulture, command, "jobserver-kill", schedule.Rounds)),
        () => AgentKillReport(string.Format(CultureInfo.InvariantCulture, command, "agent-kill", schedule.Rounds)),
        () => ControllerKillReport(string.Format(CultureInfo.InvariantCulture, command, "controller-kill", schedule.Rounds)),
        () => NetworkReport(string.Format(CultureInfo.InvariantCulture, command, "network", schedule.Rounds)),
        () => DiskFullReport(string.Format(CultureInfo.InvariantCulture, command, "disk-full", rounds ?? new DiskFull.Options().Schedule.Rounds)),
        () => HungPluginReport(string.Format(CultureInfo.InvariantCulture, command, "hung-plugin", rounds ?? new HungPlugin.Options().Schedule.Rounds))],
    _ => [],
};
if (scenarios.Length == 0)
{
    Console.Error.WriteLine($"unknown scenario '{rest[0]}'\n{Usage}");
    return 2;
}
foreach (var scenario in scenarios)
{
    var report = await scenario();
    if (write)
    {
        report.Write();
        Console.Error.WriteLine($"wrote Reliability / {report.Name} to bench/RESULTS.md");
    }
}
return 0;

async Task<ChaosReport> JobServerKillReport(string line)
{
    var options = new JobServerKill.Options { Schedule = schedule };
    options = options with { JobsPerSecondEach = rate ?? options.JobsPerSecondEach };
    var report = new ChaosReport("jobserver-kill", line);
    var figures = new List<JobServerKillFigures> { await JobServerKill.RunAsync(JobServerUnderTest.Narada, options, Console.Error.WriteLine) };
    if (anchor)
        figures.Add(await JobServerKill.RunAsync(JobServerUnderTest.Gearmand, options, Console.Error.WriteLine));
    report.Preamble(schedule, $"{options.Submitters} submitters × {options.JobsPerSecondEach:0} background jobs/s (one connection each, " +
        $"a unique key per job), {options.Workers} Narada workers × {options.WorkerConcurrency} jobs at once; the server killed with SIGKILL and " +
        "started again at once on the same port and queue file");
    report.Header("server", "acknowledged", "lost", "run twice", "run, never acknowledged", "refused or timed out", "recovery: kill → first acknowledged (min/median/p90/max)",
        "kill → first job run", "not recovered", "harness fds before → after", "processes left");
    foreach (var f in figures)
        report.Row(f.Server, f.Acknowledged, f.Lost, f.Duplicates, f.ExecutedUnacknowledged, f.Refused, f.FirstAcknowledged, f.FirstExecuted, f.Unrecovered,
            $"{f.HarnessDescriptorsBefore} → {f.HarnessDescriptorsAfter}", f.LeftoverProcesses);
    foreach (var f in figures.Where(f => f.Lost > 0))
        report.Line($"\n{f.Server} lost, e.g.: {string.Join(", ", f.LostSample)}");
    report.End([]);
    return report;
}

async Task<ChaosReport> ControllerKillReport(string line)
{
    var options = new ControllerKill.Options { Schedule = schedule };
    options = options with { PassivePerSecondEach = rate ?? options.PassivePerSecondEach };
    var f = await ControllerKill.RunAsync(options, Console.Error.WriteLine);
    var report = new ChaosReport("controller-kill", line);
    report.Preamble(schedule, $"{options.PassiveSubmitters} submitters × {options.PassivePerSecondEach:0} passive results/s to narada.results, " +
        $"one real agent running {options.ActiveChecks} check_dummy checks every second; `narada server` (SQLite store, against `narada jobserver`) " +
        "killed with SIGKILL and started again at once on the same store");
    report.Header("passive acknowledged", "passive lost", "active runs ended", "active lost", "stored twice",
        "recovery: kill → a result sent after the kill shown by the API (min/median/p90/max)", "not recovered", "processes left");
    report.Row(f.PassiveAcknowledged, f.PassiveLost, f.ActiveRuns, f.ActiveLost, f.StoredTwice, f.Recovery, f.Unrecovered, f.LeftoverProcesses);
    report.End(f.LostSample);
    return report;
}

async Task<ChaosReport> AgentKillReport(string line)
{
    var options = new AgentKill.Options { Schedule = schedule };
    var f = await AgentKill.RunAsync(options, Console.Error.WriteLine);
    var report = new ChaosReport("agent-kill", line);
    report.Preamble(schedule, $"{options.Agents} real agents (`narada agent`, JIT), each host running `fast` (check_dummy) every " +
        $"{options.FastEvery.TotalSeconds:0} s and `slow` (sleep {options.SlowSeconds} s, then check_dummy) every {options.SlowEvery.TotalSeconds:0} s, " +
        "under `narada server` and `narada jobserver`; each fault kills one agent with SIGKILL while its slow check runs, and starts it again at once");
    report.Header("plugin runs", "results lost", "runs cut off with their agent", "plugins outliving their agent", "run twice in one interval",
        "recovery: kill → the host's next run (min/median/p90/max)", "not recovered", "processes left");
    report.Row(f.Runs, f.ResultsLost, f.CutOff, f.OutlivedAgent, f.RunTwice, f.Recovery, f.Unrecovered, f.LeftoverProcesses);
    report.End(f.LostSample);
    return report;
}

async Task<ChaosReport> NetworkReport(string line)
{
    var options = new NetworkFault.Options { Schedule = schedule };
    options = options with { PassivePerSecondEach = rate ?? options.PassivePerSecondEach };
    var f = await NetworkFault.RunAsync(options, Console.Error.WriteLine);
    var report = new ChaosReport("network", line);
    report.Preamble(schedule, $"{options.PassiveSubmitters} submitters × {options.PassivePerSecondEach:0} passive results/s straight into " +
        $"`narada jobserver`; `narada server` and {options.Agents} real agents (check_dummy every second each) reach it through a TCP proxy " +
        "the harness controls; each kind of fault is struck that many times, one after the other");
    report.Header("fault", "recovery: link back → a passive result sent after it shown by the API (min/median/p90/max)",
        "link back → next plugin run", "not recovered");
    foreach (var r in f.Faults)
        report.Row(r.Fault, r.Intake, r.Dispatch, r.Unrecovered);
    report.Line();
    report.Header("passive acknowledged", "passive lost", "active runs ended", "active runs without a stored result", "stored twice", "processes left");
    report.Row(f.PassiveAcknowledged, f.PassiveLost, f.ActiveRuns, f.ActiveUnstored, f.StoredTwice, f.LeftoverProcesses);
    if (f.LostSample.Count > 0)
        report.Line($"\nlost or unstored, e.g.: {string.Join(", ", f.LostSample)}");
    report.Line();
    report.Machine();
    return report;
}

async Task<ChaosReport> DiskFullReport(string line)
{
    var options = new DiskFull.Options();
    options = options with
    {
        Schedule = options.Schedule with { Rounds = rounds ?? options.Schedule.Rounds, Seed = schedule.Seed },
        JobsPerSecondEach = rate ?? options.JobsPerSecondEach,
    };
    var f = await DiskFull.RunAsync(options, Console.Error.WriteLine);
    var report = new ChaosReport("disk-full", line);
    report.Preamble(options.Schedule, $"{options.Submitters} submitters × {options.JobsPerSecondEach:0} background jobs/s into `narada jobserver` whose " +
        $"queue is on a {options.DiskMegabytes} MiB tmpfs; each fault sends the workers away, fills the disk to the last byte for " +
        $"{options.FullFor.TotalSeconds:0.#} s, then empties it and brings the workers back; at the end the server is killed with SIGKILL " +
        "and started again before the queue drains");
    report.Header("acknowledged", "lost", "run twice", "refused (disk full)", "run though refused", "server exited by itself",
        "recovery: space back → first acknowledged (min/median/p90/max)", "not recovered");
    report.Row(f.Acknowledged, f.Lost, f.Duplicates, f.Refused, f.RunThoughRefused, f.Crashed ? "yes" : "no", f.Recovery, f.Unrecovered);
    report.End(f.LostSample);
    return report;
}

async Task<ChaosReport> HungPluginReport(string line)
{
    var options = new HungPlugin.Options();
    options = options with { Schedule = options.Schedule with { Rounds = rounds ?? options.Schedule.Rounds, Seed = schedule.Seed } };
    var f = await HungPlugin.RunAsync(options, Console.Error.WriteLine);
    var report = new ChaosReport("hung-plugin", line);
    report.Preamble(options.Schedule, $"one real agent runs `hang` (a plugin that never ends; timeout 2 s) every 3 s and check_dummy every second, " +
        $"{options.Steady.TotalSeconds:0} s undisturbed; then each fault kills the agent with SIGKILL while a hung run is in hand, and starts it again");
    report.Header("hung runs", "their results stored", "alive past timeout + 2 s (agent alive)", "longest gap of the quick check",
        "agent kills", "hung runs a killed agent left running", "processes left at the end");
    report.Row(f.HungRuns, f.HungResults, f.SurvivedTimeout, $"{f.FastLongestGapMs / 1000:0.00} s", f.Kills, f.LeftByKilledAgent, f.LeftoverProcesses);
    report.Line();
    report.Machine();
    return report;
}

static int? TakeInt(List<string> args, string name)
{
    int i = args.IndexOf(name);
    if (i < 0 || i + 1 >= args.Count)
        return null;
    int value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    args.RemoveRange(i, 2);
    return value;
}
