using Narada.Gearman.Protocol;
using Narada.JobServer.Tests.Support;

namespace Narada.JobServer.Tests.Conformance;

/// <summary>Job status while running, and the packets gearmand refuses, observed the same on both servers.</summary>
public sealed class StatusAndRefusalTests
{
    [Theory]
    [MemberData(nameof(ServerKinds.All), MemberType = typeof(ServerKinds))]
    public async Task StatusFollowsWorkStatusOfARunningJob(ServerKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        await using var client = await RawConnection.ConnectAsync(server.Port);
        await client.SendAsync(PacketType.SubmitJobBg, "progress", "progress-key", "x");
        var handle = (await client.ExpectAsync(PacketType.JobCreated))[0];
        await using var worker = await RawConnection.ConnectAsync(server.Port);
        await worker.SendAsync(PacketType.CanDo, "progress");
        await worker.SendAsync(PacketType.GrabJob);
        await worker.ExpectAsync(PacketType.JobAssign);
        await worker.SendAsync(PacketType.WorkStatus, handle, "3", "7");
        await worker.SendAsync(PacketType.EchoReq, "sync");
        await worker.ExpectAsync(PacketType.EchoRes);

        await client.SendAsync(PacketType.GetStatus, handle);
        var status = await client.ExpectAsync(PacketType.StatusRes);
        await client.SendAsync(PacketType.GetStatusUnique, "progress-key");
        var byUnique = await client.ExpectAsync(PacketType.StatusResUnique);

        Assert.Equal([handle, "1", "1", "3", "7"], status);
        Assert.Equal(["progress-key", "1", "1", "3", "7", "0"], byUnique);
    }

    [Theory]
    [MemberData(nameof(ServerKinds.All), MemberType = typeof(ServerKinds))]
    public async Task EchoAndRefusedPacketsKeepTheConnectionUsable(ServerKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        await using var c = await RawConnection.ConnectAsync(server.Port);
        await c.SendAsync(PacketType.EchoReq, "round\0trip");
        Assert.Equal(["round\0trip"], await c.ExpectAsync(PacketType.EchoRes));
        await c.SendAsync(PacketType.AllYours);
        Assert.Equal(["INVALID_COMMAND", "Command not expected"], await c.ExpectAsync(PacketType.Error));
        await c.SendAsync(PacketType.SubmitJobSched, "f", "", "1", "2", "3", "4", "5", "data");
        Assert.Equal("INVALID_COMMAND", (await c.ExpectAsync(PacketType.Error))[0]);
        await c.SendAsync(PacketType.OptionReq, "no-such-option");
        Assert.Equal("UNKNOWN_OPTION", (await c.ExpectAsync(PacketType.Error))[0]);
        await c.SendAsync(PacketType.GetStatus, "H:nowhere:1");
        Assert.Equal(["H:nowhere:1", "0", "0", "0", "0"], await c.ExpectAsync(PacketType.StatusRes));
    }

    [Theory]
    [MemberData(nameof(ServerKinds.All), MemberType = typeof(ServerKinds))]
    public async Task A_handle_names_a_job_only_when_spelled_exactly(ServerKind kind)
    {
        await using var server = await TestServer.StartAsync(kind);
        await using var client = await RawConnection.ConnectAsync(server.Port);
        await client.SendAsync(PacketType.SubmitJobBg, "spelled", "", "x");
        var handle = (await client.ExpectAsync(PacketType.JobCreated))[0];
        int colon = handle.LastIndexOf(':');
        string prefix = handle[..(colon + 1)], number = handle[(colon + 1)..];

        string[] lookalikes = [prefix + "0" + number, prefix + "+" + number, handle + "0", handle + " ", "X" + handle, prefix, number];
        foreach (var lookalike in lookalikes)
        {
            await client.SendAsync(PacketType.GetStatus, lookalike);
            Assert.Equal([lookalike, "0", "0", "0", "0"], await client.ExpectAsync(PacketType.StatusRes));
        }
        await client.SendAsync(PacketType.GetStatus, handle);
        Assert.Equal([handle, "1", "0", "0", "0"], await client.ExpectAsync(PacketType.StatusRes));

        // a worker holding the job cannot complete it under another spelling
        await using var worker = await RawConnection.ConnectAsync(server.Port);
        await worker.SendAsync(PacketType.CanDo, "spelled");
        await worker.SendAsync(PacketType.GrabJob);
        await worker.ExpectAsync(PacketType.JobAssign);
        await worker.SendAsync(PacketType.WorkComplete, prefix + "0" + number, "done");
        Assert.Equal("JOB_NOT_FOUND", (await worker.ExpectAsync(PacketType.Error))[0]);
        await client.SendAsync(PacketType.GetStatus, handle);
        Assert.Equal([handle, "1", "1", "0", "0"], await client.ExpectAsync(PacketType.StatusRes));
    }
}
