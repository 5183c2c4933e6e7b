using Narada.Bench;
using Narada.Bench.Benchmarks;
using Narada.Bench.Hosting;

// Each benchmark is a verb; see bench/README.md. Every figure is measured beside its anchor in the same run.
if (args.Length == 0)
{
    Console.Error.WriteLine($"usage: dotnet run -c Release --project bench/Narada.Bench -- " +
                            $"<{LibraryBenchmark.Name}|{JobServerBenchmark.Name}|{IdleWorkersBenchmark.Name}> [--write] [options] (see bench/README.md)");
    return 2;
}
var options = new BenchArguments(args.Skip(1));
return args[0] switch
{
    LibraryBenchmark.Name => await LibraryBenchmark.RunAsync(options),
    JobServerBenchmark.Name => await JobServerBenchmark.RunAsync(options),
    IdleWorkersBenchmark.Name => await IdleWorkersBenchmark.RunAsync(options),
    JobServerHost.Verb => await JobServerHost.RunAsync(options),
    _ => Unknown(args[0]),
};

static int Unknown(string name)
{
    Console.Error.WriteLine($"unknown benchmark '{name}' (see bench/README.md)");
    return 2;
}
