using System.Globalization;
using Microsoft.Data.Sqlite;
using Narada.Gearman.Protocol;
using Narada.JobServer.Tests.Support;
using Narada.Testing;

namespace Narada.JobServer.Tests.Persistence;

/// <summary>
/// A gearmand run with <c>-q libsqlite3</c> replaced in place: Narada, started on the same queue file, runs the
/// background jobs gearmand had queued there, once, in their priority order.
/// </summary>
[Trait("Category", "Peers")]
public sealed class GearmandQueueTakeoverTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("narada-takeover-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Database => Path.Combine(_directory, "gearmand.sqlite");

    [Fact]
    public async Task The_jobs_gearmand_queued_in_its_sqlite_file_run_on_Narada_once_by_priority()
    {
        await using (var gearmand = await GearmandServer.StartAsync("--queue-type=libsqlite3", $"--libsqlite3-db={Database}"))
        {
            string port = gearmand.Port.ToString(CultureInfo.InvariantCulture);
            foreach (var (flag, unique, payload) in new[] { ("", "n1", "normal-1"), ("-L", "l1", "low-1"), ("-I", "h1", "high-1"), ("", "n2", "normal-2") })
            {
                string[] args = [.. new[] { "-h", "127.0.0.1", "-p", port, "-b", "-f", "moved", "-u", unique }.Concat(flag.Length > 0 ? [flag] : []), payload];
                var submit = await ExternalProcess.RunAsync(RequiredTool.Gearman, args);
                Assert.True(submit.ExitCode == 0, submit.ToString());
            }
            // The gearman tool cannot submit an EPOCH job; the packet can.
            await using var client = await RawConnection.ConnectAsync(gearmand.Port);
            await client.SendAsync(PacketType.SubmitJobEpoch, "moved", "e1", Later.ToString(CultureInfo.InvariantCulture), "later-1");
            await client.ExpectAsync(PacketType.JobCreated);
            Assert.Equal(5, Rows("gearman_queue"));
        }

        int narada = FreePort.Next();
        string[] commandLine = ["-q", "libsqlite3", "--libsqlite3-db", Database];
        await using (var first = await NaradaProcess.StartAsync(narada, commandLine))
        {
            await Retry.UntilAsync(() => first.Process.Stdout.Contains("took over", StringComparison.Ordinal), "the takeover to be logged");
            Assert.Contains($"took over 5 background jobs from gearmand's queue table gearman_queue in {Database}", first.Process.Stdout);
            Assert.Equal(0, Rows("gearman_queue"));

            await using var worker = await RawConnection.ConnectAsync(narada);
            await worker.SendAsync(PacketType.CanDo, "moved");
            Assert.Equal(["h1=high-1", "n1=normal-1"], await RunAsync(worker, jobs: 2));
            await Retry.UntilAsync(() => Rows("background_jobs") == 3, "the completed jobs' deletes to be committed");
        }

        // Restarted on the file, Narada has the three jobs left, not the five again.
        await using var second = await NaradaProcess.StartAsync(narada, commandLine);
        await Retry.UntilAsync(() => second.Process.Stdout.Contains("restored", StringComparison.Ordinal), "the restore to be logged");
        Assert.Contains("restored 3 background jobs", second.Process.Stdout);
        Assert.DoesNotContain("took over", second.Process.Stdout);
        await using var again = await RawConnection.ConnectAsync(narada);
        await again.SendAsync(PacketType.CanDo, "moved");
        Assert.Equal(["n2=normal-2", "l1=low-1"], await RunAsync(again, jobs: 2));
        // The EPOCH job keeps its time: queued, not handed out before it.
        await again.SendAsync(PacketType.GrabJobUniq);
        await again.ExpectAsync(PacketType.NoJob);
        await using var admin = await RawConnection.ConnectAsync(narada);
        Assert.Contains("moved\t1\t0\t1\n", await admin.AdminAsync("status", listing: true));
        Assert.Equal(1, RowsRunningAt(Later));
    }

    /// <summary>Grabs and completes <paramref name="jobs"/> jobs in turn; each as "unique=payload".</summary>
    private static async Task<List<string>> RunAsync(RawConnection worker, int jobs)
    {
        var ran = new List<string>();
        for (int i = 0; i < jobs; i++)
        {
            await worker.SendAsync(PacketType.GrabJobUniq);
            var job = await worker.ExpectAsync(PacketType.JobAssignUniq);
            ran.Add($"{job[2]}={job[3]}");
            await worker.SendAsync(PacketType.WorkComplete, job[0], "ok");
        }
        return ran;
    }

    private static readonly long Later = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600;

    private long RowsRunningAt(long when) => Count($"background_jobs WHERE run_at = {when} AND uniq = 'e1'");

    [Fact]
    public async Task A_table_name_that_is_not_one_is_a_usage_error()
    {
        var result = await NaradaProcess.RunAsync("jobserver", "--libsqlite3-table", "queue; DROP TABLE x", "-p", FreePort.Next().ToString(CultureInfo.InvariantCulture));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--libsqlite3-table: 'queue; DROP TABLE x' is not a table name", result.Stderr);
    }

    private long Rows(string table) => Count(table);

    private long Count(string from)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Database, Pooling = false }.ToString());
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = $"SELECT count(*) FROM {from}";
        return (long)count.ExecuteScalar()!;
    }
}
