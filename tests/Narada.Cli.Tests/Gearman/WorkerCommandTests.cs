using System.Text;
using Narada.Gearman.Client;
using Narada.Gearman.Transport;
using Narada.Testing;

namespace Narada.Cli.Tests.Gearman;

[Trait("Category", "Peers")]
public sealed class WorkerCommandTests
{
    private static string[] At(GearmandServer server) => ["-h", server.Host, "-p", $"{server.Port}"];

    [Fact]
    public async Task The_seed_grep_worker_answers_like_gearman_w()
    {
        await using var server = await GearmandServer.StartAsync();
        var listing = "bin\nboot\nlib\nlib32\nlib64\nusr\n";

        await using var narada = await Workers.StartNaradaAsync(server, "test", "--", "grep", "lib");
        var fromNarada = await ExternalProcess.RunAsync(RequiredTool.Gearman, [.. At(server), "-f", "test"], listing);
        await narada.DisposeAsync();
        await Retry.UntilAsync(async () => await Workers.CountAsync(server, "test") == 0, "the narada worker to leave");

        await using var gearman = await Workers.StartGearmanAsync(server, "test", "--", "grep", "lib");
        var fromGearman = await ExternalProcess.RunAsync(RequiredTool.Gearman, [.. At(server), "-f", "test"], listing);

        Assert.Equal("lib\nlib32\nlib64\n", fromNarada.Stdout);
        Assert.Equal(fromGearman.Stdout, fromNarada.Stdout);
    }

    [Fact]
    public async Task Exits_after_c_jobs_and_fails_jobs_whose_command_fails()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var worker = await Workers.StartNaradaAsync(server, "strict", "-c", "2", "--", "grep", "needle");

        var found = await ExternalProcess.RunAsync(RequiredTool.Gearman, [.. At(server), "-f", "strict"], "hay\nneedle\n");
        var missing = await ExternalProcess.RunAsync(RequiredTool.Gearman, [.. At(server), "-f", "strict"], "hay only\n");
        var exit = await worker.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal("needle\n", found.Stdout);
        Assert.Contains("Job failed", missing.Stderr);
        Assert.Equal(0, exit.ExitCode);
        Assert.Contains("exited with 1", exit.Stderr);
    }

    [Fact]
    public async Task With_n_each_output_line_is_a_work_data_packet()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var keep = await Workers.StartNaradaAsync(server, "lines", "-n", "--", "cat");
        await using var strip = await Workers.StartNaradaAsync(server, "stripped", "-N", "--", "cat");
        await using var client = new GearmanClient(new GearmanClientOptions { Servers = [new ServerAddress(server.Host, server.Port)] });

        async Task<(List<string> Data, string Result)> RunAsync(string function)
        {
            var job = await client.StartAsync(function, Encoding.UTF8.GetBytes("one\ntwo\nthree"));
            var data = new List<string>();
            await foreach (var update in job.Updates)
                if (update.Kind == JobUpdateKind.Data)
                    data.Add(update.DataAsString());
            return (data, (await job.Completion).DataAsString());
        }

        var (kept, keptResult) = await RunAsync("lines");
        var (stripped, strippedResult) = await RunAsync("stripped");

        Assert.Equal(["one\n", "two\n", "three"], kept);
        Assert.Equal(["one", "two", "three"], stripped);
        Assert.Equal(("", ""), (keptResult, strippedResult));
    }

    [Fact]
    public async Task Without_a_command_the_workload_is_printed_as_gearman_w_does()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var worker = await Workers.StartNaradaAsync(server, "print", "-c", "2");

        var first = await NaradaCli.RunAsync(["submit", .. At(server), "-f", "print", "hello "]);
        var second = await NaradaCli.RunAsync(["submit", .. At(server), "-f", "print"], "world\n");
        var exit = await worker.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(("", ""), (first.Stdout, second.Stdout));
        Assert.Equal("hello world\n", exit.Stdout);
    }

    [Fact]
    public async Task Registers_under_its_client_id_for_every_function()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var worker = await Workers.StartNaradaAsync(server, "alpha", "-f", "beta", "--", "cat");

        var workers = await ExternalProcess.RunAsync(RequiredTool.Gearadmin, [.. At(server), "--workers"]);

        Assert.Matches(@"(?m)^\d+ 127\.0\.0\.1 narada-worker : (alpha beta|beta alpha)\s*$", workers.Stdout);
    }

    [Fact]
    public async Task Unknown_command_exits_2_and_an_unreachable_server_exits_3()
    {
        var missing = await NaradaCli.RunAsync(["worker", "-f", "x", "--", "no-such-program-anywhere"]);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("'no-such-program-anywhere' not found", missing.Stderr);

        int port = FreePort.Next();
        var down = await NaradaCli.RunAsync(["worker", "-h", "127.0.0.1", "-p", $"{port}", "-f", "x"]);
        Assert.Equal(3, down.ExitCode);
        Assert.Contains($"cannot connect to job server 127.0.0.1:{port}", down.Stderr);

        var noFunction = await NaradaCli.RunAsync(["worker", "--", "cat"]);
        Assert.Equal(2, noFunction.ExitCode);
    }

    [Fact]
    public async Task Sigterm_stops_the_worker_cleanly_and_it_leaves_the_server()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var worker = await Workers.StartNaradaAsync(server, "stoppable", "--", "cat");

        var kill = await ExternalProcess.RunAsync(RequiredTool.Path("kill", "procps"), ["-TERM", $"{worker.Id}"]);
        var exit = await worker.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(0, kill.ExitCode);
        Assert.True(exit.ExitCode == 143, exit.ToString()); // 128 + SIGTERM, the shell's convention
        await Retry.UntilAsync(async () => await Workers.CountAsync(server, "stoppable") == 0, "the worker to unregister");
    }
}
