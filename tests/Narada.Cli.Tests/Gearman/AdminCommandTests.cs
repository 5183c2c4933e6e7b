using System.Text.Json;
using Narada.Testing;

namespace Narada.Cli.Tests.Gearman;

[Trait("Category", "Peers")]
public sealed class AdminCommandTests
{
    private static string[] At(GearmandServer server) => ["-h", server.Host, "-p", $"{server.Port}"];

    private static Task<ProcessResult> GearadminAsync(GearmandServer server, params string[] args) =>
        ExternalProcess.RunAsync(RequiredTool.Gearadmin, [.. At(server), .. args]);

    /// <summary>A server with queued jobs of each priority, a unique, and a worker.</summary>
    private static async Task<(GearmandServer Server, ExternalProcess Worker)> BusyServerAsync()
    {
        var server = await GearmandServer.StartAsync();
        var worker = await Workers.StartGearmanAsync(server, "served", "--", "cat");
        foreach (var args in new[] { new[] { "-b", "-f", "queued", "-u", "u-1", "a" }, ["-b", "-I", "-f", "queued", "b"], ["-b", "-L", "-f", "queued", "c"] })
            Assert.Equal(0, (await ExternalProcess.RunAsync(RequiredTool.Gearman, [.. At(server), .. args])).ExitCode);
        return (server, worker);
    }

    [Fact]
    public async Task Prints_exactly_what_gearadmin_prints()
    {
        var (server, worker) = await BusyServerAsync();
        await using var _ = server;
        await using var __ = worker;

        foreach (var (verb, flag) in new[] { ("status", "--status"), ("priority-status", "--priority-status"), ("version", "--server-version"),
                     ("getpid", "--getpid"), ("show-jobs", "--show-jobs"), ("show-unique-jobs", "--show-unique-jobs") })
        {
            var narada = await NaradaCli.RunAsync(["admin", verb, .. At(server)]);
            var gearadmin = await GearadminAsync(server, flag);
            Assert.Equal(0, narada.ExitCode);
            Assert.Equal(gearadmin.Stdout, narada.Stdout);
        }

        // each tool's own admin connection is listed too, under its own fd: compare the worker lines
        static string[] WorkerLines(string text) => text.Split('\n').Where(l => l.Contains(" : ") && !l.EndsWith(" :", StringComparison.Ordinal)).ToArray();
        var workers = await NaradaCli.RunAsync(["admin", "workers", .. At(server)]);
        Assert.EndsWith("\n.\n", workers.Stdout);
        Assert.Equal(WorkerLines((await GearadminAsync(server, "--workers")).Stdout), WorkerLines(workers.Stdout));
        Assert.Single(WorkerLines(workers.Stdout));
    }

    [Fact]
    public async Task Functions_and_jobs_are_created_dropped_and_cancelled_as_with_gearadmin()
    {
        await using var server = await GearmandServer.StartAsync();

        var created = await NaradaCli.RunAsync(["admin", "create-function", "made", .. At(server)]);
        Assert.Equal((0, "OK\n"), (created.ExitCode, created.Stdout));
        Assert.Contains("made\t0\t0\t0\n", (await GearadminAsync(server, "--status")).Stdout);

        var submitted = await ExternalProcess.RunAsync(RequiredTool.Gearman, [.. At(server), "-b", "-v", "-f", "made", "x"]);
        var handle = submitted.Stdout.Trim().Split(' ')[^1];
        var cancelled = await NaradaCli.RunAsync(["admin", "cancel-job", handle, .. At(server)]);
        Assert.Equal((0, "OK\n"), (cancelled.ExitCode, cancelled.Stdout));

        var unknown = await NaradaCli.RunAsync(["admin", "cancel-job", "H:nowhere:1", .. At(server)]);
        var gearadminUnknown = await GearadminAsync(server, "--cancel-job", "H:nowhere:1");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Equal(gearadminUnknown.Stderr, unknown.Stderr);

        var drop = await NaradaCli.RunAsync(["admin", "drop-function", "never-made", .. At(server)]);
        Assert.Equal(1, drop.ExitCode);
        Assert.Equal((await GearadminAsync(server, "--drop-function", "never-made")).Stderr, drop.Stderr);
    }

    [Fact]
    public async Task Json_carries_the_same_facts()
    {
        var (server, worker) = await BusyServerAsync();
        await using var _ = server;
        await using var __ = worker;

        async Task<JsonElement> JsonAsync(string verb)
        {
            var result = await NaradaCli.RunAsync(["admin", verb, "--json", .. At(server)]);
            Assert.Equal(0, result.ExitCode);
            return JsonDocument.Parse(result.Stdout).RootElement;
        }

        var status = (await JsonAsync("status")).EnumerateArray().ToDictionary(e => e.GetProperty("function").GetString()!);
        Assert.Equal(3, status["queued"].GetProperty("total").GetInt64());
        Assert.Equal(1, status["served"].GetProperty("workers").GetInt64());
        var priority = (await JsonAsync("priority-status")).EnumerateArray().Single(e => e.GetProperty("function").GetString() == "queued");
        Assert.Equal((1, 1, 1), (priority.GetProperty("high").GetInt64(), priority.GetProperty("normal").GetInt64(), priority.GetProperty("low").GetInt64()));
        Assert.Contains((await JsonAsync("workers")).EnumerateArray(), w => w.GetProperty("functions").EnumerateArray().Any(f => f.GetString() == "served"));
        Assert.Equal(3, (await JsonAsync("show-jobs")).GetArrayLength());
        Assert.Contains((await JsonAsync("show-unique-jobs")).EnumerateArray(), u => u.GetString() == "u-1");
        Assert.Equal((await GearadminAsync(server, "--server-version")).Stdout.Trim(), (await JsonAsync("version")).GetProperty("version").GetString());
        Assert.Equal((await GearadminAsync(server, "--getpid")).Stdout.Trim(), (await JsonAsync("getpid")).GetProperty("pid").GetInt32().ToString());
    }

    [Fact]
    public async Task Unreachable_server_exits_3_and_bad_usage_exits_2()
    {
        int port = FreePort.Next();
        var down = await NaradaCli.RunAsync(["admin", "status", "-p", $"{port}"]);
        Assert.Equal(3, down.ExitCode);
        Assert.Contains($"cannot connect to job server 127.0.0.1:{port}", down.Stderr);

        var missing = await NaradaCli.RunAsync(["admin", "cancel-job"]);
        Assert.Equal(2, missing.ExitCode);
        // the message and the hint name the sub-verb as it is typed
        Assert.StartsWith("narada admin cancel-job: ", missing.Stderr);
        Assert.Contains("Try 'narada admin cancel-job --help'.", missing.Stderr);
        Assert.Equal(2, (await NaradaCli.RunAsync(["admin", "status", "-p", "0"])).ExitCode);
    }
}
