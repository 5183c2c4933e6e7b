using Microsoft.Data.Sqlite;
using Narada.Gearman.Protocol;
using Narada.JobServer.Tests.Support;
using Narada.Testing;

namespace Narada.JobServer.Tests.Persistence;

/// <summary>Acknowledged background jobs survive kill -9; completed ones do not come back; EPOCH jobs keep their time.</summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("narada-jobserver-").FullName;

    private string Database => Path.Combine(_directory, "queue.sqlite");

    [Fact]
    public async Task EveryAcknowledgedJobRunsAfterKillMinusNine()
    {
        int port = FreePort.Next();
        string[] args = ["-q", "sqlite", "--libsqlite3-db", Database];
        var done = new HashSet<string>();
        long later = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600;
        await using (var first = await NaradaProcess.StartAsync(port, args))
        {
            await using var client = await RawConnection.ConnectAsync(port);
            var batch = Enumerable.Range(0, 50)
                .SelectMany(i => PacketWriter.ToArray(PacketMagic.Request, PacketType.SubmitJobBg, "persist"u8.ToArray(), ""u8.ToArray(),
                    System.Text.Encoding.ASCII.GetBytes($"job-{i}")))
                .ToArray();
            await client.SendBytesAsync(batch); // pipelined: the group commit takes them together
            for (int i = 0; i < 50; i++)
                await client.ExpectAsync(PacketType.JobCreated);
            await client.SendAsync(PacketType.SubmitJobEpoch, "later", "tomorrow", later.ToString(System.Globalization.CultureInfo.InvariantCulture), "future");
            await client.ExpectAsync(PacketType.JobCreated);

            await using var worker = await RawConnection.ConnectAsync(port);
            await worker.SendAsync(PacketType.CanDo, "persist");
            for (int i = 0; i < 10; i++)
            {
                await worker.SendAsync(PacketType.GrabJob);
                var job = await worker.ExpectAsync(PacketType.JobAssign);
                await worker.SendAsync(PacketType.WorkComplete, job[0], "ok");
                done.Add(job[2]);
            }
            // The delete of a completed job is committed shortly after WORK_COMPLETE; wait for it, then crash.
            await Retry.UntilAsync(() => StoredRows() == 41, "deletes of the completed jobs to be committed");
            await first.KillAsync();
        }

        await using var second = await NaradaProcess.StartAsync(port, args);
        await using var again = await RawConnection.ConnectAsync(port);
        await again.SendAsync(PacketType.CanDo, "persist");
        await again.SendAsync(PacketType.CanDo, "later");
        var rerun = new List<string>();
        while (true)
        {
            await again.SendAsync(PacketType.GrabJob);
            var p = await again.ReceiveAsync();
            if (p.Type == PacketType.NoJob)
                break;
            Assert.Equal(PacketType.JobAssign, p.Type);
            rerun.Add(p.ArgumentString(2));
            await again.SendAsync(PacketType.WorkComplete, p.ArgumentString(0), "ok");
        }

        var expected = Enumerable.Range(0, 50).Select(i => $"job-{i}").Where(j => !done.Contains(j)).ToArray();
        Assert.Equal(expected.Order(), rerun.Order());
        await using var admin = await RawConnection.ConnectAsync(port);
        Assert.Contains("later\t1\t0\t1\n", await admin.AdminAsync("status", listing: true));
    }

    [Fact]
    public async Task InProcessRestartKeepsQueuedJobsAndTheirPriority()
    {
        var options = new JobServerOptions { Port = 0, DatabasePath = Database };
        await using (var server = new JobServer(options))
        {
            await server.StartAsync();
            await using var client = await RawConnection.ConnectAsync(server.Endpoint.Port);
            await client.SendAsync(PacketType.SubmitJobLowBg, "kept", "", "low");
            await client.SendAsync(PacketType.SubmitJobHighBg, "kept", "", "high");
            await client.ExpectAsync(PacketType.JobCreated);
            await client.ExpectAsync(PacketType.JobCreated);
        }

        await using var restarted = new JobServer(options);
        await restarted.StartAsync();
        await using var worker = await RawConnection.ConnectAsync(restarted.Endpoint.Port);
        await worker.SendAsync(PacketType.CanDo, "kept");
        await worker.SendAsync(PacketType.GrabJobUniq);
        Assert.Equal("high", (await worker.ExpectAsync(PacketType.JobAssignUniq))[3]);
        await worker.SendAsync(PacketType.GrabJobUniq);
        Assert.Equal("low", (await worker.ExpectAsync(PacketType.JobAssignUniq))[3]);
    }

    private long StoredRows()
    {
        using var connection = new SqliteConnection($"Data Source={Database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM background_jobs";
        return (long)count.ExecuteScalar()!;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
