using System.Globalization;
using Narada.Core.Contracts;
using Narada.Core.Formats;

namespace Narada.Bench.Fleet;

/// <summary>The simulated fleet of the controller benchmark: host names, the checks' YAML, and the envelopes agents would send.</summary>
internal static class SimulatedFleet
{
    /// <summary>10,000 unless the command line says <c>--hosts N</c> (issue #24 measures 100,000).</summary>
    public static int Hosts { get; set; } = 10_000;
    public const int ChecksPerHost = 10;
    /// <summary>60 unless the command line says <c>--interval S</c>: a machine of two cores cannot host the controller, the
    /// job server and the fake fleet of 100,000 hosts at 60 s all at once, but per-CPU-second and memory figures hold.</summary>
    public static int IntervalSeconds { get; set; } = 60;
    public const string Tag = "sim";

    /// <summary>Results per second the fleet produces in steady state (≈1,667).</summary>
    public static double ResultRate => Hosts * ChecksPerHost / (double)IntervalSeconds;

    public static string Host(int i) => "sim" + i.ToString(Hosts > 100_000 ? "D7" : "D5", CultureInfo.InvariantCulture);

    public static string Check(int i) => "bench-check-" + i.ToString(CultureInfo.InvariantCulture);

    /// <summary>Writes <see cref="ChecksPerHost"/> Check definitions, every 60 s on every host tagged <paramref name="tag"/>.</summary>
    public static string WriteConfig(string directory, string tag = Tag)
    {
        Directory.CreateDirectory(directory);
        var docs = Enumerable.Range(0, ChecksPerHost).Select(i => $"""
            kind: Check
            name: {Check(i)}
            plugin: nagios.check_dummy
            params: {"{"} state: "0", text: "simulated" {"}"}
            every: {IntervalSeconds}s
            targets: {"{"} tags: [{tag}] {"}"}
            timeout: 10s
            attempts: 3
            """);
        File.WriteAllText(Path.Combine(directory, "checks.yaml"), string.Join("\n---\n", docs) + "\n");
        return directory;
    }

    public static Heartbeat Heartbeat(int host) => new()
    {
        Host = Host(host),
        Tags = [Tag],
        Plugins = ["nagios.check_dummy", "system.node"],
        Version = "bench",
        IntervalS = 30,
        Facts = new Facts { Os = "linux", Kernel = "6.1", Cpus = 2, MemoryBytes = 4L << 30 },
    };

    /// <summary>The answer a fast agent gives: OK with one perfdata item, most of the time; every 50th result is WARNING.</summary>
    public static JobResult Result(string id, string check, string host, long sequence) => new()
    {
        Id = id,
        Kind = DefinitionKind.Check,
        Name = check,
        Host = host,
        Plugin = "nagios.check_dummy",
        Status = sequence % 50 == 0 ? CheckStatus.Warning : CheckStatus.Ok,
        Output = "simulated",
        Perfdata = [new PerfDataItem { Label = "time", Value = 0.001, Uom = "s", Min = 0 }],
        ExitCode = 0,
        StartedAt = DateTimeOffset.UtcNow,
        DurationMs = 1,
    };
}
