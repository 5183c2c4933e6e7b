using System.Text;
using System.Text.RegularExpressions;
using Narada.Cli.Tests.Gearman;
using Narada.Testing;

namespace Narada.Cli.Tests.Examples;

[Trait("Category", "Peers")]
public sealed class LogIngestionExampleTests
{
    [Fact]
    public async Task Access_log_lines_become_per_status_counters_that_promtool_accepts()
    {
        await using var server = await GearmandServer.StartAsync();
        var scratch = ExampleFiles.Scratch();
        try
        {
            var random = new Random(6);
            int[] codes = [200, 200, 200, 301, 404, 500];
            var log = new StringBuilder();
            var expected = new Dictionary<string, int>();
            for (int i = 0; i < 40; i++)
            {
                int code = codes[random.Next(codes.Length)];
                log.Append($"10.0.0.{i} - - [28/Nov/2026:10:{i % 60:00}:00 +0000] \"GET /page/{i} HTTP/1.1\" {code} {random.Next(100, 5000)}\n");
                expected[$"{code}"] = expected.GetValueOrDefault($"{code}") + 1;
            }
            log.Append("a line that is not a log line\n");
            expected["invalid"] = 1;
            var textfile = Path.Combine(scratch.FullName, "access_log.prom");
            var env = ExampleFiles.ServerEnvironment(server);

            // tail -f access_log | narada submit -n -b -f logger, with a finite log: every line queued before any worker runs
            var submit = await NaradaCli.RunAsync(["submit", "-n", "-b", "-f", "logger"], stdin: log.ToString(), environment: env);
            Assert.Equal((0, ""), (submit.ExitCode, submit.Stdout));
            Assert.Equal(41, await Workers.JobsAsync(server, "logger"));

            await using var worker = NaradaCli.Start(["worker", "-f", "logger", "-c", "41", "--", ExampleFiles.Path("log-ingestion", "status-counter.sh"), textfile], env);
            var exit = await worker.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(exit.ExitCode == 0, exit.ToString());

            var exposition = await File.ReadAllTextAsync(textfile);
            Assert.Empty(await Promtool.ProblemsAsync(exposition));
            var counted = Regex.Matches(exposition, @"^access_log_requests_total\{code=""(\w+)""\} (\d+)$", RegexOptions.Multiline)
                .ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value));
            Assert.Equal(expected.OrderBy(kv => kv.Key), counted.OrderBy(kv => kv.Key));
            Assert.Contains("# TYPE access_log_requests_total counter", exposition);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }
}
