using System.Text.Json;
using System.Text.RegularExpressions;
using Narada.Testing;

namespace Narada.Cli.Tests.Gearman;

[Trait("Category", "Peers")]
public sealed class SubmitCommandTests
{
    private static string[] At(GearmandServer server) => ["-h", server.Host, "-p", $"{server.Port}"];

    private static Task<ProcessResult> GearmanAsync(GearmandServer server, string[] args, string stdin = "") =>
        ExternalProcess.RunAsync(RequiredTool.Gearman, [.. At(server), .. args], stdin);

    [Fact]
    public async Task Stdin_and_arguments_print_what_the_gearman_client_prints()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var worker = await Workers.StartGearmanAsync(server, "up", "-f", "rev", "--", "tr", "a-z", "A-Z");

        foreach (var (args, stdin) in new (string[], string)[]
        {
            (["-f", "up"], "abc\ndef\n"),
            (["-f", "up", "hello", "world"], ""),
            (["-n", "-f", "up"], "x\ny\nz"),
            (["-N", "-f", "up"], "x\ny\nz\n"),
        })
        {
            var narada = await NaradaCli.RunAsync(["submit", .. At(server), .. args], stdin);
            var gearman = await GearmanAsync(server, args, stdin);
            Assert.Equal(0, narada.ExitCode);
            Assert.Equal(gearman.Stdout, narada.Stdout);
        }
        var lines = await NaradaCli.RunAsync(["submit", .. At(server), "-N", "-f", "up"], "x\ny\nz\n");
        Assert.Equal("XYZ\n", lines.Stdout);

        // gearman prints -P answers as they finish; narada keeps submission order, so compare the pieces
        string[] prefixed = ["-P", "-f", "up", "-f", "rev", "one", "two"];
        var naradaPrefixed = await NaradaCli.RunAsync(["submit", .. At(server), .. prefixed]);
        var gearmanPrefixed = await GearmanAsync(server, prefixed);
        Assert.Equal("up: ONErev: ONEup: TWOrev: TWO\n", naradaPrefixed.Stdout);
        static string[] Pieces(string s) => Regex.Matches(s, "(up|rev): (ONE|TWO)").Select(m => m.Value).Order().ToArray();
        Assert.Equal(Pieces(gearmanPrefixed.Stdout), Pieces(naradaPrefixed.Stdout));
    }

    [Fact]
    public async Task A_failing_job_prints_Job_failed_and_exits_1()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var worker = await Workers.StartNaradaAsync(server, "fails", "--", "sh", "-c", "cat >/dev/null; exit 3");

        var result = await NaradaCli.RunAsync(["submit", .. At(server), "-f", "fails", "x"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Job failed", result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task Work_data_goes_to_stdout_warnings_and_exceptions_to_stderr()
    {
        await using var server = await GearmandServer.StartAsync();
        var php = """
            $w = new GearmanWorker(); $w->addServer(getenv('H'), (int)getenv('P'));
            $w->addFunction('chatty', function ($job) {
                if ($job->workload() === 'boom') { $job->sendException('it broke'); return GEARMAN_WORK_EXCEPTION; }
                $job->sendData('part1 '); $job->sendWarning('careful'); $job->sendStatus(1, 2); return 'done';
            });
            while ($w->work());
            """;
        await using var worker = await Workers.StartAsync(server, "chatty", s => ExternalProcess.Start(RequiredTool.Php, ["-r", php],
            new Dictionary<string, string> { ["H"] = s.Host, ["P"] = $"{s.Port}" }));

        var ok = await NaradaCli.RunAsync(["submit", .. At(server), "-f", "chatty", "go"]);
        Assert.Equal(0, ok.ExitCode);
        Assert.Equal("part1 done", ok.Stdout.TrimEnd('\n'));
        Assert.Contains("careful", ok.Stderr);

        var json = await NaradaCli.RunAsync(["submit", .. At(server), "--json", "-f", "chatty", "go", "boom"]);
        Assert.Equal(1, json.ExitCode);
        var jobs = json.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(2, jobs.Length);
        Assert.Equal("completed", jobs[0].GetProperty("outcome").GetString());
        Assert.Equal("part1 done", jobs[0].GetProperty("data").GetString());
        Assert.StartsWith("H:", jobs[0].GetProperty("handle").GetString());
        Assert.Equal("exception", jobs[1].GetProperty("outcome").GetString());
        Assert.Equal("it broke", jobs[1].GetProperty("data").GetString());

        var exception = await NaradaCli.RunAsync(["submit", .. At(server), "-f", "chatty", "boom"]);
        Assert.Equal(1, exception.ExitCode);
        Assert.Contains("it broke", exception.Stderr);
        Assert.Contains("Job failed", exception.Stderr);
    }

    [Fact]
    public async Task Background_jobs_join_the_queue_with_their_priority_and_unique()
    {
        await using var server = await GearmandServer.StartAsync();

        var quiet = await NaradaCli.RunAsync(["submit", .. At(server), "-b", "-f", "later", "-u", "the-unique-key", "x"]);
        var high = await NaradaCli.RunAsync(["submit", .. At(server), "-b", "-I", "-v", "-f", "later", "y"]);
        var low = await NaradaCli.RunAsync(["submit", .. At(server), "-b", "-L", "-f", "later", "-n"], "a\nb\n");

        Assert.Equal((0, ""), (quiet.ExitCode, quiet.Stdout));
        Assert.Matches(@"^Task created: H:\S+\n$", high.Stdout);
        Assert.Equal(0, low.ExitCode);
        var priority = await ExternalProcess.RunAsync(RequiredTool.Gearadmin, [.. At(server), "--priority-status"]);
        Assert.Contains("later\t1\t1\t2\t0\n", priority.Stdout);
        var uniques = await ExternalProcess.RunAsync(RequiredTool.Gearadmin, [.. At(server), "--show-unique-jobs"]);
        Assert.Contains("the-unique-key\n", uniques.Stdout);
    }

    [Fact]
    public async Task Send_nothing_with_s_and_time_out_with_t()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var worker = await Workers.StartNaradaAsync(server, "size", "--", "wc", "-c");

        var empty = await NaradaCli.RunAsync(["submit", .. At(server), "-s", "-f", "size"], "ignored stdin");
        Assert.Equal("0", empty.Stdout.Trim());

        var timedOut = await NaradaCli.RunAsync(["submit", .. At(server), "-t", "1500", "-f", "nobody-serves-this", "x"]);
        Assert.Equal(1, timedOut.ExitCode);
        Assert.Contains("within 00:00:01.5", timedOut.Stderr);
    }

    [Fact]
    public async Task Usage_errors_exit_2_and_an_unreachable_server_exits_3_naming_it()
    {
        int port = FreePort.Next();
        var down = await NaradaCli.RunAsync(["submit", "-h", "127.0.0.1", "-p", $"{port}", "-f", "x", "y"]);
        Assert.Equal(3, down.ExitCode);
        Assert.Contains($"cannot connect to job server 127.0.0.1:{port}", down.Stderr);

        var viaEnvironment = await NaradaCli.RunAsync(["submit", "-f", "x", "y"],
            environment: new Dictionary<string, string> { ["GEARMAN_SERVER"] = $"127.0.0.1:{port}" });
        Assert.Equal(3, viaEnvironment.ExitCode);

        foreach (var args in new[] { new[] { "submit", "y" }, ["submit", "-f", "x", "-p", "http"], ["submit", "-f", "x", "-t", "-5"],
                     ["submit", "-f", "x", "--server", "localhost:99999999"], ["submit", "-f", "x", "-I", "-L"], ["submit", "-f", "x", "--nonsense"] })
        {
            var usage = await NaradaCli.RunAsync(args);
            Assert.True(usage.ExitCode == 2, $"{string.Join(' ', args)}: {usage}");
            Assert.Contains("narada submit", usage.Stderr);
        }
    }
}
