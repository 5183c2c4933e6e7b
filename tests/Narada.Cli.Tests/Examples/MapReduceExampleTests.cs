using Narada.Cli.Tests.Gearman;
using Narada.Testing;

namespace Narada.Cli.Tests.Examples;

[Trait("Category", "Peers")]
public sealed class MapReduceExampleTests
{
    [Fact]
    public async Task Distributed_grep_splits_files_across_two_workers_and_sums_their_counts()
    {
        await using var server = await GearmandServer.StartAsync();
        var scratch = ExampleFiles.Scratch();
        try
        {
            var files = new List<string>();
            var expected = new List<int>();
            for (int f = 0; f < 4; f++)
            {
                var lines = Enumerable.Range(0, 50 + f * 7).Select(i => (i * (f + 3)) % 5 == 0 ? $"{i} ERROR disk full" : $"{i} INFO fine").ToArray();
                var path = Path.Combine(scratch.FullName, $"app-{f}.log");
                await File.WriteAllLinesAsync(path, lines);
                files.Add(path);
                expected.Add(lines.Count(l => l.Contains("ERROR")));
            }
            await File.WriteAllTextAsync(Path.Combine(scratch.FullName, "empty.log"), "no matches here\n");
            files.Add(Path.Combine(scratch.FullName, "empty.log"));
            expected.Add(0);

            // each worker leaves after half the jobs (-c), so the other must have done the rest
            string counter = ExampleFiles.Path("map-reduce", "count-matches.sh");
            await using var first = await Workers.StartNaradaAsync(server, "count-errors", "-c", "2", "--", "sh", counter, "ERROR");
            await using var second = await Workers.StartNaradaAsync(server, "count-errors", "-c", "3", "--", "sh", counter, "ERROR");
            var env = ExampleFiles.ServerEnvironment(server);
            env["NARADA"] = $"{NaradaCli.Dotnet} {NaradaCli.Dll}";

            var result = await ExternalProcess.RunAsync(RequiredTool.Path("sh", "dash"),
                [ExampleFiles.Path("map-reduce", "distributed-grep.sh"), "count-errors", .. files], environment: env, timeout: TimeSpan.FromSeconds(60));

            Assert.True(result.ExitCode == 0, result.ToString());
            var expectedLines = files.Select((f, i) => $"{f} {expected[i]}").Append($"total {expected.Sum()}");
            Assert.Equal(string.Join('\n', expectedLines) + "\n", result.Stdout);
            Assert.Equal(0, (await first.WaitAsync(TimeSpan.FromSeconds(15))).ExitCode);
            Assert.Equal(0, (await second.WaitAsync(TimeSpan.FromSeconds(15))).ExitCode);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }
}
