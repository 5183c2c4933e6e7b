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
}
