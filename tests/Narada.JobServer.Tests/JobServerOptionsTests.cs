using Narada.JobServer;

namespace Narada.JobServer.Tests;

public class JobServerOptionsTests
{
    [Fact]
    public void The_defaults_have_no_problem() => Assert.Empty(JobServerOptions.Default.Problems());

    [Fact]
    public void Every_value_out_of_range_is_named_by_its_gearmand_option()
    {
        var options = JobServerOptions.Default with
        {
            Port = 70_000,
            Backlog = 0,
            KeepAliveCount = 128,
            KeepAliveIdle = TimeSpan.Zero,
            BusyPoll = TimeSpan.FromMilliseconds(20),
            IoThreads = 65,
            JobRetries = -1,
            GearmandQueueTable = "drop table",
        };

        Assert.Equal(
        [
            "--port: 70000 is not from 0 to 65535",
            "--busy-poll: 20000 is not from 0 to 10000 microseconds",
            "--threads: 65 is not from 0 to 64",
            "--backlog: 0 is not from 1 to 65535",
            "--keepalive-idle: 0 is not from 1 to 32767 seconds",
            "--keepalive-count: 128 is not from 1 to 127",
            "--job-retries: -1 is negative (0 means unlimited)",
            "--libsqlite3-table: 'drop table' is not a table name (a letter or _, then letters, digits or _)",
        ], options.Problems());
    }

    [Fact]
    public async Task A_server_refuses_to_start_with_a_problem_in_its_options()
    {
        await using var server = new JobServer(JobServerOptions.Default with { Port = 0, KeepAliveCount = 0 });
        var error = await Assert.ThrowsAsync<ArgumentException>(() => server.StartAsync());
        Assert.Equal("--keepalive-count: 0 is not from 1 to 127", error.Message);
    }
}
