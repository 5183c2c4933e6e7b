using Narada.Gearman.Admin;
using Narada.Gearman.Transport;
using Narada.Testing;

namespace Narada.Cli.Tests.Gearman;

/// <summary>The same verbs against Narada's own job server instead of gearmand.</summary>
[Trait("Category", "Peers")]
public sealed class NaradaJobServerTests
{
    [Fact]
    public async Task The_seed_grep_example_and_admin_status_work_against_narada_jobserver()
    {
        var scratch = Directory.CreateTempSubdirectory("narada-jobserver-");
        try
        {
            int port = FreePort.Next();
            await using var server = NaradaCli.Start(["jobserver", "-p", $"{port}", "--libsqlite3-db", Path.Combine(scratch.FullName, "q.sqlite")]);
            await GearmandServer.WaitForListenerAsync(port, () => server.HasExited ? $"narada jobserver exited: {server.Stderr}" : null);
            string[] at = ["-p", $"{port}"];

            await using var worker = NaradaCli.Start(["worker", .. at, "-f", "test", "--", "grep", "lib"]);
            await Retry.UntilAsync(async () =>
            {
                await using var admin = await GearmanAdminClient.ConnectAsync(new ServerAddress("127.0.0.1", port));
                return (await admin.GetStatusAsync()).Any(s => s.Function == "test" && s.AvailableWorkers == 1);
            }, "the worker to register with narada jobserver");

            var submitted = await NaradaCli.RunAsync(["submit", .. at, "-f", "test"], stdin: "bin\nlib\nlib64\nusr\n");
            var status = await NaradaCli.RunAsync(["admin", "status", .. at]);
            var gearadmin = await ExternalProcess.RunAsync(RequiredTool.Gearadmin, ["-h", "127.0.0.1", .. at, "--status"]);

            Assert.Equal((0, "lib\nlib64\n"), (submitted.ExitCode, submitted.Stdout));
            Assert.Equal(0, status.ExitCode);
            Assert.Contains("test\t0\t0\t1\n", status.Stdout);
            Assert.Equal(gearadmin.Stdout, status.Stdout);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }
}
