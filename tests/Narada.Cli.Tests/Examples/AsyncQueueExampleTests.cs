using Narada.Testing;

namespace Narada.Cli.Tests.Examples;

[Trait("Category", "Peers")]
public sealed class AsyncQueueExampleTests
{
    [Fact]
    public async Task A_background_notification_survives_a_job_server_restart_and_lands_in_the_spool()
    {
        var scratch = ExampleFiles.Scratch();
        try
        {
            var queue = Path.Combine(scratch.FullName, "queue.db");
            var spool = Path.Combine(scratch.FullName, "spool");
            string[] persistent = ["--queue-type=libsqlite3", $"--libsqlite3-db={queue}"];

            await using (var before = await GearmandServer.StartAsync(persistent))
            {
                var submit = await NaradaCli.RunAsync(["submit", "-b", "-f", "notify", "user 42 signed up"],
                    environment: ExampleFiles.ServerEnvironment(before));
                Assert.Equal((0, ""), (submit.ExitCode, submit.Stdout));
            } // killed with SIGKILL: only what the queue stored survives

            await using var after = await GearmandServer.StartAsync(persistent);
            await using var worker = NaradaCli.Start(["worker", "-f", "notify", "-c", "1", "--",
                ExampleFiles.Path("async-queue", "spool-notification.sh"), spool], ExampleFiles.ServerEnvironment(after));
            var exit = await worker.WaitAsync(TimeSpan.FromSeconds(30));

            Assert.True(exit.ExitCode == 0, exit.ToString());
            var spooled = Directory.GetFiles(spool);
            Assert.Single(spooled);
            Assert.EndsWith(".msg", spooled[0]);
            Assert.Equal("user 42 signed up", await File.ReadAllTextAsync(spooled[0]));
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }
}
