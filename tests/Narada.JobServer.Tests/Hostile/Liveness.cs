using Narada.Gearman.Protocol;
using Narada.JobServer.Tests.Support;

namespace Narada.JobServer.Tests.Hostile;

/// <summary>Proves the server still does its job: one foreground job through a fresh client and worker.</summary>
internal static class Liveness
{
    public static async Task AssertServesAsync(TestServer server)
    {
        await using var client = await RawConnection.ConnectAsync(server.Port);
        await using var worker = await RawConnection.ConnectAsync(server.Port);
        string function = "alive-" + Guid.NewGuid().ToString("N");
        await worker.SendAsync(PacketType.CanDo, function);
        await client.SendAsync(PacketType.SubmitJob, function, "", "ping");
        var handle = (await client.ExpectAsync(PacketType.JobCreated))[0];
        await worker.SendAsync(PacketType.GrabJob);
        Assert.Equal([handle, function, "ping"], await worker.ExpectAsync(PacketType.JobAssign));
        await worker.SendAsync(PacketType.WorkComplete, handle, "pong");
        Assert.Equal([handle, "pong"], await client.ExpectAsync(PacketType.WorkComplete));
    }
}
