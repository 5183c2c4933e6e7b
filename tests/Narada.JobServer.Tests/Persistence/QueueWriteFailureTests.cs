using Narada.Gearman.Protocol;
using Narada.JobServer.Tests.Support;
using Narada.Testing;

namespace Narada.JobServer.Tests.Persistence;

/// <summary>
/// A background job the persistent queue cannot write (its disk is full) is refused with QUEUE_ERROR and does not run,
/// and a submit that coalesces onto a job still being written is acknowledged only once it is written. Found by
/// bench/Narada.Chaos disk-full: 1,080 of 1,535 refused jobs ran anyway, so a submitter that tried again would run them
/// twice; and a coalesced submit was acknowledged before anything was on disk. Mounts a tmpfs (root, as CI runs).
/// </summary>
[Trait("Category", "Peers")]
public sealed class QueueWriteFailureTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("narada-full-").FullName;
    private SmallDisk _disk = null!;
    private JobServer _server = null!;

    public async Task InitializeAsync()
    {
        _disk = await SmallDisk.MountAsync(Path.Combine(_directory, "disk"), 4);
        _server = new JobServer(new JobServerOptions { Port = 0, DatabasePath = Path.Combine(_disk.Path, "queue.sqlite") });
        await _server.StartAsync();
    }

    [Fact]
    public async Task A_job_the_queue_could_not_write_is_refused_and_never_runs()
    {
        int port = _server.Endpoint.Port;
        await using var client = await RawConnection.ConnectAsync(port);
        _disk.Fill();
        // Pipelined: the second submit finds the first still being written and joins it.
        await client.SendBytesAsync(PacketWriter.ToArray(PacketMagic.Request, PacketType.SubmitJobBg, "full"u8.ToArray(), "same"u8.ToArray(), "a"u8.ToArray())
            .Concat(PacketWriter.ToArray(PacketMagic.Request, PacketType.SubmitJobBg, "full"u8.ToArray(), "same"u8.ToArray(), "a"u8.ToArray())).ToArray());
        Assert.Equal(ErrorCodes.QueueError, (await client.ExpectAsync(PacketType.Error))[0]);
        Assert.Equal(ErrorCodes.QueueError, (await client.ExpectAsync(PacketType.Error))[0]);

        await using var worker = await RawConnection.ConnectAsync(port);
        await worker.SendAsync(PacketType.CanDo, "full");
        await worker.SendAsync(PacketType.GrabJobUniq);
        await worker.ExpectAsync(PacketType.NoJob);

        // With space again, the same job is taken, written and run.
        _disk.Empty();
        await client.SendAsync(PacketType.SubmitJobBg, "full", "same", "b");
        await client.ExpectAsync(PacketType.JobCreated);
        await worker.SendAsync(PacketType.GrabJobUniq);
        var job = await worker.ExpectAsync(PacketType.JobAssignUniq);
        Assert.Equal(["same", "b"], job[2..]);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await _disk.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
