using Narada.Testing;

namespace Narada.Controller.Tests.EndToEnd;

/// <summary>
/// A cloud host name (40 bytes) through a real gearmand: the agent's signed results still fit the 63-byte unique
/// gearmand keeps, so its checks reach the controller.
/// </summary>
[Trait("Category", "Peers")]
public sealed class LongHostNameTests
{
    private const string Name = "ip-10-0-12-34.eu-west-1.compute.internal";

    [Fact]
    public async Task An_agent_with_a_cloud_host_name_reports_its_checks()
    {
        await using var fleet = await LiveFleet.StartAsync("""
            kind: Check
            name: dummy
            plugin: nagios.check_dummy
            params: { state: "1", text: "long name" }
            every: 1s
            targets: { tags: [cloud] }
            """);
        fleet.AddAgent(Name, ["cloud"], TimeSpan.FromMilliseconds(500));

        await Retry.UntilAsync(() => fleet.Controller.Checks.TryGet("dummy", Name, out var e) && e.State.Output == "WARNING: long name",
            "the long-named host's check result", TimeSpan.FromSeconds(30));
    }
}
