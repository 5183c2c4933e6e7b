using System.Diagnostics;
using System.Globalization;
using System.Text;
using Narada.Controller.History;
using Narada.Controller.Store;
using Narada.Gearman.Admin;
using Narada.Gearman.Client;
using Narada.Gearman.Transport;
using Narada.Testing;
using Npgsql;
using static Narada.Bench.Fleet.BenchReport;

namespace Narada.Bench.Fleet;

/// <summary>
/// <c>cluster</c>: result intake of controllers sharing a PostgreSQL store against the single SQLite controller, in one
/// run. For each cell, 30,000 passive results over 3,000 (host, check) pairs are queued in one stock gearmand with no
/// worker registered; then the cell's controllers (each a process of its own, empty definitions) are started together
/// and the queue is timed until gearmand shows no <c>narada.results</c> job left.
/// </summary>
internal static class ClusterBench
{
    private const int Results = 30_000;
    private const int Hosts = 300;
    private const int ChecksPerHost = 10; // 3,000 (host, check) pairs, 10 results each
    private const int Pairs = Hosts * ChecksPerHost;
    private const int SubmitWindow = 64;
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(120);

    private sealed record Cell(string Label, int Members, bool Postgres);

    private static readonly Cell[] Cells =
    [
        new("(a) 1 controller, SQLite", 1, false),
        new("(b) 1 controller, PostgreSQL", 1, true),
        new("(c) 2 controllers, PostgreSQL", 2, true),
        new("(d) 3 controllers, PostgreSQL", 3, true),
        new("(a′) 1 controller, SQLite, again (drift check)", 1, false),
    ];

    public static async Task<BenchReport> RunAsync()
    {
        var work = Directory.CreateTempSubdirectory("narada-bench-cluster-").FullName;
        try
        {
            var config = Path.Combine(work, "config");
            Directory.CreateDirectory(config);
            File.WriteAllText(Path.Combine(config, "checks.yaml"), ""); // no definitions: the controllers only take results in
            var payloads = Payloads();
            await using var postgres = await PostgresServer.StartAsync();
            await using var gearmand = await GearmandServer.StartAsync();
            var server = new ServerAddress(gearmand.Host, gearmand.Port);
            var (postmaster, version) = Postmaster(postgres);
            var meters = new Meters(postmaster, GearmandPid(gearmand.Port));
            var outcomes = new List<Outcome>();
            foreach (var cell in Cells)
            {
                var outcome = await RunCellAsync(cell, server, postgres, config, work, payloads, meters);
                Console.Error.WriteLine($"  {cell.Label}: {outcome}");
                outcomes.Add(outcome);
            }
            return Report(outcomes, version);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// The N passive results, as a sender would write them: each pair gets 10, in a shuffled order (seeded), so two
    /// results for one pair are now and then in flight at once and wait for each other's row lock. Every 25th
    /// (pair, occurrence) is CRITICAL, so about 4 % of results are a hard change and the next one a recovery.
    /// </summary>
    private static byte[][] Payloads()
    {
        var order = Enumerable.Range(0, Results).Select(n => n % Pairs).ToArray();
        new Random(42).Shuffle(order);
        var seen = new int[Pairs];
        return order.Select(pair =>
        {
            int occurrence = seen[pair]++;
            int status = (pair + occurrence) % 25 == 0 ? 2 : 0;
            var host = "web" + (pair / ChecksPerHost).ToString("D3", CultureInfo.InvariantCulture);
            var check = "passive-" + (pair % ChecksPerHost).ToString(CultureInfo.InvariantCulture);
            var output = status == 0 ? $"OK - {check} done, run {occurrence}" : $"CRITICAL - {check} failed, run {occurrence}";
            return Encoding.UTF8.GetBytes(
                $$"""{"v":1,"type":"passive","host":"{{host}}","name":"{{check}}","status":{{status}},"output":"{{output}}"}""");
        }).ToArray();
    }

    private sealed record Outcome(Cell Cell, double StartupSeconds, double DrainSeconds, double FlushedSeconds,
        Cpu ControllerCpu, Cpu PostgresCpu, Cpu GearmandCpu, IReadOnlyList<double> TakenPerMember, long StoredResults,
        long StoredStates)
    {
        public double PerSecond => Results / DrainSeconds;
        public double WrittenPerSecond => Results / FlushedSeconds;

        public override string ToString() =>
            $"{F(PerSecond, "0")} results/s ({F(DrainSeconds, "0.00")} s after {F(StartupSeconds, "0.00")} s to the first), " +
            $"{F(WrittenPerSecond, "0")}/s to history written, CPU µs/result (kernel share): controllers {PerResult(ControllerCpu)}, " +
            $"PostgreSQL {PerResult(PostgresCpu)}, gearmand {PerResult(GearmandCpu)}, " +
            $"taken {string.Join(" / ", TakenPerMember.Select(t => t.ToString("0", CultureInfo.InvariantCulture)))}";
    }

    private static async Task<Outcome> RunCellAsync(Cell cell, ServerAddress server, PostgresServer postgres, string config,
        string work, byte[][] payloads, Meters meters)
    {
        var store = cell.Postgres ? await postgres.CreateDatabaseAsync() : null;
        if (store is not null)
        {
            // Migrated here, once: controllers starting together on a fresh database can both find it unmigrated (each
            // one's serializable snapshot predates the advisory lock it waits on), and the second fails its CREATE TABLE.
            await using var migrate = HistoryStore.Open(new StoreLocation(StoreKind.Postgres, store));
        }
        await using var admin = await GearmanAdminClient.ConnectAsync(server);
        var queueing = Stopwatch.StartNew();
        await QueueAsync(server, admin, payloads);
        Console.Error.WriteLine($"  {cell.Label}: {Results} results queued in {F(queueing.Elapsed.TotalSeconds, "0.0")} s");

        var slug = new string(cell.Label.Where(char.IsLetterOrDigit).ToArray());
        var children = new List<ControllerChild>();
        try
        {
            children.AddRange(await Task.WhenAll(Enumerable.Range(0, cell.Members).Select(i => ControllerChild.StartAsync(server,
                config, Path.Combine(work, $"data-{slug}-{i}"), store: store, fleet: false, hold: true))));

            // Each controller's CPU counts from its "ready" (store open and migrated, worker running) to its history written.
            var cpu0 = new Cpu[children.Count];
            var clock = Stopwatch.StartNew();
            var started = children.Select((child, i) => Task.Run(async () =>
            {
                await child.GoAsync();
                cpu0[i] = Cpu.Of(child.Pid);
            })).ToArray();

            double first = double.NaN;
            Cpu postgres0 = default, gearmand0 = default;
            while (true)
            {
                long left = await QueuedAsync(admin);
                if (double.IsNaN(first) && left < Results)
                {
                    first = clock.Elapsed.TotalSeconds;
                    postgres0 = meters.PostgresCpu();
                    gearmand0 = meters.GearmandCpu();
                }
                if (left == 0)
                    break;
                if (clock.Elapsed > DrainLimit)
                    throw new InvalidOperationException($"{cell.Label}: {left} of {Results} results still queued after {DrainLimit.TotalSeconds:0} s");
                await Task.Delay(10);
            }
            double empty = clock.Elapsed.TotalSeconds;
            await Task.WhenAll(started);
            await Task.WhenAll(children.Select(c => c.FlushAsync()));
            double flushed = clock.Elapsed.TotalSeconds;
            var controllerCpu = children.Select((c, i) => Cpu.Of(c.Pid) - cpu0[i]).Aggregate(default(Cpu), (a, b) => a + b);
            Cpu postgresCpu = meters.PostgresCpu() - postgres0, gearmandCpu = meters.GearmandCpu() - gearmand0;

            var counters = await Task.WhenAll(children.Select(c => c.CountersAsync()));
            var taken = counters.Select(c => c["passive"]).ToArray();
            if (taken.Sum() != Results || counters.Any(c => c["invalid"] != 0))
                throw new InvalidOperationException($"{cell.Label}: controllers took {taken.Sum()} passive results " +
                                                    $"({counters.Sum(c => c["invalid"])} invalid), expected {Results}");
            var (rows, states) = store is null ? (-1L, -1L) : await CountStoredAsync(store);
            if (store is not null && (rows != Results || states != Pairs))
                throw new InvalidOperationException($"{cell.Label}: the store holds {rows} results and {states} check states, " +
                                                    $"expected {Results} and {Pairs}");
            return new Outcome(cell, first, empty - first, flushed - first, controllerCpu, postgresCpu, gearmandCpu, taken, rows, states);
        }
        finally
        {
            foreach (var child in children)
                await child.DisposeAsync();
            await WorkersGoneAsync(admin);
        }
    }

    /// <summary>Queues every payload as a background job (distinct uniques, so gearmand coalesces none) with no worker registered.</summary>
    private static async Task QueueAsync(ServerAddress server, GearmanAdminClient admin, byte[][] payloads)
    {
        await using var client = new GearmanClient(new GearmanClientOptions { Servers = [server] });
        int next = -1;
        var run = Guid.NewGuid().ToString("N")[..8];
        await Task.WhenAll(Enumerable.Range(0, SubmitWindow).Select(_ => Task.Run(async () =>
        {
            for (int n; (n = Interlocked.Increment(ref next)) < payloads.Length;)
                await client.SubmitBackgroundAsync("narada.results", payloads[n],
                    new JobOptions { Unique = $"cluster-bench-{run}-{n.ToString(CultureInfo.InvariantCulture)}" });
        })));
        long queued = await QueuedAsync(admin);
        if (queued != payloads.Length)
            throw new InvalidOperationException($"gearmand holds {queued} narada.results jobs, expected {payloads.Length}");
    }

    private static async Task<long> QueuedAsync(GearmanAdminClient admin) =>
        (await admin.GetStatusAsync()).Where(s => s.Function == "narada.results").Sum(s => s.Total);

    /// <summary>After a cell: waits until gearmand has seen every controller's connection close.</summary>
    private static async Task WorkersGoneAsync(GearmanAdminClient admin)
    {
        var wait = Stopwatch.StartNew();
        while ((await admin.GetStatusAsync()).Any(s => s.Function == "narada.results" && s.AvailableWorkers > 0)
               && wait.Elapsed < TimeSpan.FromSeconds(10))
            await Task.Delay(50);
    }

    private static async Task<(long Results, long States)> CountStoredAsync(string store)
    {
        await using var db = new NpgsqlConnection(store);
        await db.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT (SELECT count(*) FROM results), (SELECT count(*) FROM check_state)", db);
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        return (r.GetInt64(0), r.GetInt64(1));
    }

    /// <summary>The CPU of the PostgreSQL server (postmaster, its live children, and those it reaped) and of gearmand.</summary>
    private sealed class Meters(int postmaster, int gearmand)
    {
        public Cpu PostgresCpu() =>
            ChildrenOf(postmaster).Select(pid => Try(() => Cpu.Of(pid), default)).Aggregate(Cpu.Of(postmaster, reapedChildren: true), (a, b) => a + b);

        public Cpu GearmandCpu() => Cpu.Of(gearmand);

        private static IEnumerable<int> ChildrenOf(int parent) =>
            Directory.EnumerateDirectories("/proc").Select(Path.GetFileName)
                .Select(name => int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
                .Where(pid => pid > 0 && Try(() => ParentOf(pid), 0) == parent).ToList();

        private static int ParentOf(int pid)
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
        }

        private static T Try<T>(Func<T> read, T gone)
        {
            try
            {
                return read();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return gone; // the process ended while being read (a backend whose connection closed)
            }
        }
    }

    /// <summary>The server's postmaster process (from its data directory's postmaster.pid) and its version.</summary>
    private static (int Pid, string Version) Postmaster(PostgresServer postgres)
    {
        using var db = new NpgsqlConnection(postgres.AdminConnectionString);
        db.Open();
        using var cmd = new NpgsqlCommand("SELECT current_setting('data_directory'), current_setting('server_version')", db);
        using var r = cmd.ExecuteReader();
        r.Read();
        var pid = int.Parse(File.ReadLines(Path.Combine(r.GetString(0), "postmaster.pid")).First(), CultureInfo.InvariantCulture);
        return (pid, r.GetString(1).Split(' ')[0]);
    }

    private static int GearmandPid(int port)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                if (cmdline.Length > 0 && Path.GetFileName(cmdline[0]) == "gearmand" && cmdline.Contains($"--port={port}"))
                    return int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
            }
        }
        throw new BenchSetupException($"cannot find the gearmand process listening on port {port}");
    }

    private static string PerResult(Cpu cpu) =>
        $"{F(cpu.Total / Results * 1e6, "0")} ({F(cpu.Total > 0 ? cpu.System / cpu.Total * 100 : 0, "0")} %)";

    /// <summary>utime and stime of a process from /proc/PID/stat (with <c>reapedChildren</c>, plus cutime and cstime).</summary>
    private readonly record struct Cpu(double User, double System)
    {
        public double Total => User + System;

        public static Cpu operator +(Cpu a, Cpu b) => new(a.User + b.User, a.System + b.System);
        public static Cpu operator -(Cpu a, Cpu b) => new(a.User - b.User, a.System - b.System);

        public static Cpu Of(int pid, bool reapedChildren = false)
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            double Ticks(int i) => long.Parse(fields[i], CultureInfo.InvariantCulture) / 100.0; // USER_HZ
            return reapedChildren ? new(Ticks(11) + Ticks(13), Ticks(12) + Ticks(14)) : new(Ticks(11), Ticks(12));
        }
    }

    private static BenchReport Report(IReadOnlyList<Outcome> outcomes, string postgresVersion)
    {
        var report = new BenchReport("Controller", "cluster");
        var alone = outcomes[0];
        report.Line($"Result intake from one stock gearmand: {Results:N0} passive results (`narada.results` background jobs, " +
                    $"`{{\"v\":1,\"type\":\"passive\",...}}`) over {Pairs:N0} (host, check) pairs, 10 each in a seeded shuffled order, " +
                    "about 4 % CRITICAL (a hard change and then a recovery), are queued with no worker registered; then the cell's " +
                    "controllers, each a `NaradaController` in a process of its own with an empty `checks.yaml` and no HTTP, are " +
                    "started together, and the queue is timed from the first job taken until gearmand's `status` shows 0 jobs " +
                    "for `narada.results` (polled every 10 ms). A fresh database (SQLite file or PostgreSQL database) per cell; " +
                    $"one PostgreSQL {postgresVersion} server (`initdb`, fsync and full_page_writes off, as in the tests) for the " +
                    "run; each PostgreSQL database is migrated by the bench before its controllers start (see below). Controller " +
                    "CPU is utime+stime of the controller processes from each one's \"ready\" until its history is written; " +
                    "PostgreSQL CPU is the server's processes (postmaster, backends, background workers) and gearmand's its own, " +
                    "from the first job taken; all per result, with the share of it spent in the kernel (stime). gearmand, " +
                    "PostgreSQL, every controller and the bench share the machine's cores, so a cell with more controllers " +
                    "measures what the cluster costs per result here, not how it scales across machines. (a′) repeats (a) " +
                    "at the end, to show how much the shared machine's load moved during the run.");
        report.Line($"Machine: {Machine()}.");
        report.Line();
        report.Header("cell", "results/s (queue empty)", "ratio vs (a)", "results/s (history written)",
            "controller CPU µs/result (kernel %)", "PostgreSQL CPU µs/result (kernel %)", "gearmand CPU µs/result (kernel %)",
            "taken per controller",
            "start to first taken");
        foreach (var o in outcomes)
            report.Row(o.Cell.Label, F(o.PerSecond, "0"), F(o.PerSecond / alone.PerSecond, "0.00") + "×", F(o.WrittenPerSecond, "0"),
                PerResult(o.ControllerCpu), o.Cell.Postgres ? PerResult(o.PostgresCpu) : "—", PerResult(o.GearmandCpu),
                string.Join(" / ", o.TakenPerMember.Select(t => t.ToString("N0", CultureInfo.InvariantCulture))),
                $"{F(o.StartupSeconds, "0.00")} s");
        report.Line();
        report.Line("\"queue empty\" is what gearmand sees; \"history written\" waits as well for each controller's history " +
                    "writer to flush (SQLite writes results, states and events behind intake in batches; on PostgreSQL each " +
                    "result is taken in one transaction with its state row locked, so the two are the same there). Every " +
                    $"cell checks that the controllers counted {Results:N0} passive results and, on PostgreSQL, that the store " +
                    $"holds {Results:N0} result rows and {Pairs:N0} check states. Migrating first works around a race in " +
                    "`Schema.Migrate`: controllers started together on an empty PostgreSQL database can both find it unmigrated " +
                    "(each one's SERIALIZABLE snapshot is taken by the statement that waits for the advisory lock, so it predates " +
                    "the other's commit), and the second then fails with `42P07: relation \"results\" already exists`.");
        report.Line();
        report.Line("```");
        report.Line("dotnet run -c Release --project bench/Narada.Bench.Fleet -- cluster --write");
        report.Line("```");
        return report;
    }
}
