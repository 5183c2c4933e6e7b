using System.Text.Json;
using Narada.Controller.Hosts;
using Narada.Gearman.Transport;
using Narada.Testing;

namespace Narada.Controller.Tests.EndToEnd;

/// <summary>A host announced by heartbeats (sent here with the real gearman tool) goes down, then is forgotten with its series.</summary>
[Trait("Category", "Peers")]
public sealed class HostLifecycleTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("narada-hosts-").FullName;
    private GearmandServer _gearmand = null!;
    private NaradaController _controller = null!;

    public async Task InitializeAsync()
    {
        _gearmand = await GearmandServer.StartAsync();
        var config = Directory.CreateDirectory(Path.Combine(_dir, "config")).FullName;
        File.WriteAllText(Path.Combine(config, "checks.yaml"), """
            kind: Check
            name: disk
            plugin: nagios.check_disk
            every: 1h
            targets: { tags: [linux] }
            """);
        _controller = new NaradaController(new ControllerOptions
        {
            ConfigDirectory = config,
            DataDirectory = Path.Combine(_dir, "data"),
            Servers = [new ServerAddress(_gearmand.Host, _gearmand.Port)],
            HttpListen = null,
            SweepInterval = TimeSpan.FromMilliseconds(200),
            ForgetHostsAfter = TimeSpan.FromSeconds(5), // down after 3 s of silence, gone after 5 s
        });
        await _controller.StartAsync();
    }

    private async Task SendAsync(object message)
    {
        var result = await ExternalProcess.RunAsync(RequiredTool.Gearman,
            ["-h", _gearmand.Host, "-p", _gearmand.Port.ToString(), "-b", "-f", "narada.results", JsonSerializer.Serialize(message)]);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task A_silent_host_goes_down_and_later_leaves_with_its_checks_and_series()
    {
        await SendAsync(new { v = 1, type = "heartbeat", host = "old01", tags = new[] { "linux" }, interval_s = 1, version = "test" });
        await SendAsync(new { v = 1, type = "passive", host = "old01", name = "backup", status = 0, output = "fine" });
        await Retry.UntilAsync(() => _controller.Checks.TryGet("backup", "old01", out _), "the passive result");
        Assert.True(_controller.Hosts.TryGet("old01", out var up));
        Assert.Equal(HostStatus.Up, up.Status);

        await Retry.UntilAsync(() => _controller.Hosts.TryGet("old01", out var h) && h.Status == HostStatus.Down,
            "old01 to go down after three silent intervals");
        await Retry.UntilAsync(() => !_controller.Hosts.TryGet("old01", out _), "old01 to be forgotten");
        Assert.False(_controller.Checks.TryGet("backup", "old01", out _));
    }

    public async Task DisposeAsync()
    {
        await _controller.DisposeAsync();
        await _gearmand.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
