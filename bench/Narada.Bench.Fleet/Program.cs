using Narada.Bench.Fleet;

// dotnet run -c Release --project bench/Narada.Bench.Fleet -- <agent-footprint|plugin-throughput|collector-cost|controller|intake|cluster|dashboard|statistics> [--write]
const string Usage = "usage: dotnet run -c Release --project bench/Narada.Bench.Fleet -- " +
                     "<agent-footprint|plugin-throughput|collector-cost|controller|intake|cluster|dashboard|statistics|all> [--hosts N] [--interval S] [--write]   (see bench/README.md)";

if (args is ["controller-node", .. var nodeArgs])
    return await ControllerNode.RunAsync(nodeArgs); // a controller's own process, started by the controller and cluster benchmarks

bool write = args.Contains("--write");
foreach (var (option, set) in new (string, Action<int>)[] { ("--hosts", n => SimulatedFleet.Hosts = n), ("--interval", n => SimulatedFleet.IntervalSeconds = n) })
{
    int at = Array.IndexOf(args, option);
    if (at < 0)
        continue;
    if (at + 1 >= args.Length || !int.TryParse(args[at + 1], out var value) || value < 1)
    {
        Console.Error.WriteLine($"{option} needs a positive number");
        return 2;
    }
    set(value);
    args = [.. args[..at], .. args[(at + 2)..]];
}
var names = args.Where(a => a != "--write").ToArray();
if (names.Length != 1)
{
    Console.Error.WriteLine(Usage);
    return 2;
}
Func<Task<BenchReport>>[] benches = names[0] switch
{
    "agent-footprint" => [AgentFootprintBench.RunAsync],
    "plugin-throughput" => [PluginThroughputBench.RunAsync],
    "collector-cost" => [CollectorCostBench.RunAsync],
    "controller" => [ControllerBench.RunAsync],
    "intake" => [IntakeBench.RunAsync],
    "cluster" => [ClusterBench.RunAsync],
    "dashboard" => [DashboardBench.RunAsync],
    "statistics" => [StatisticsBench.RunAsync],
    "all" => [AgentFootprintBench.RunAsync, PluginThroughputBench.RunAsync, CollectorCostBench.RunAsync, ControllerBench.RunAsync, ClusterBench.RunAsync, DashboardBench.RunAsync,
        StatisticsBench.RunAsync],
    _ => [],
};
if (benches.Length == 0)
{
    Console.Error.WriteLine($"unknown benchmark '{names[0]}'\n{Usage}");
    return 2;
}
try
{
    foreach (var bench in benches)
    {
        var report = await bench();
        if (write)
        {
            ResultsFile.Write(RepoLayout.Results, report.Section, report.Name, report.Lines);
            Console.Error.WriteLine($"wrote {report.Section} / {report.Name} to {RepoLayout.Results}");
        }
    }
}
catch (BenchSetupException e)
{
    Console.Error.WriteLine($"bench: {e.Message}");
    return 2;
}
return 0;
