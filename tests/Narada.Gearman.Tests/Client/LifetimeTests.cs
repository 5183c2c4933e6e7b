using Narada.Gearman.Transport;
using Narada.Testing;

namespace Narada.Gearman.Tests.Client;

[Trait("Category", "Peers")]
public sealed class LifetimeTests
{
    [Fact]
    public async Task Disposing_the_client_fails_jobs_in_flight_and_refuses_new_calls()
    {
        await using var server = await GearmandServer.StartAsync();
        var client = Peers.Client(server);
        var waiting = await client.StartAsync("nobody", "x"u8.ToArray());

        await client.DisposeAsync();

        await Assert.ThrowsAsync<GearmanConnectionException>(() => waiting.Completion);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await client.EchoAsync("x"u8.ToArray()));
    }

    [Fact]
    public void A_client_with_no_servers_is_refused_at_construction() =>
        Assert.Throws<ArgumentException>(() => new Narada.Gearman.Client.GearmanClient(new() { Servers = [] }));
}
