using System.Text.Json;
using Narada.Controller.Store;
using Narada.Gearman.Transport;
using Narada.Testing;

namespace Narada.Controller.Tests.Cluster;

/// <summary>PostgreSQL stopped and started again under a running cluster member: what arrived meanwhile is not lost.</summary>
[Trait("Category", "Peers")]
public sealed class StoreOutageTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("narada-outage-").FullName;
    private PostgresServer _postgres = null!;
    private GearmandServer _gearmand = null!;
    private NaradaController _controller = null!;

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync(); // its own: this test stops it
        _gearmand = await GearmandServer.StartAsync();
        var config = Directory.CreateDirectory(Path.Combine(_dir, "config")).FullName;
        await File.WriteAllTextAsync(Path.Combine(config, "checks.yaml"), "");
        _controller = new NaradaController(new ControllerOptions
        {
            ConfigDirectory = config,
            DataDirectory = Path.Combine(_dir, "data"),
            Servers = [new ServerAddress(_gearmand.Host, _gearmand.Port)],
            HttpListen = null,
            SweepInterval = TimeSpan.FromMilliseconds(500),
            Store = new StoreLocation(StoreKind.Postgres, await _postgres.CreateDatabaseAsync()),
        });
        await _controller.StartAsync();
    }

    private async Task PushAsync(string output)
    {
        var message = JsonSerializer.Serialize(new { v = 1, type = "passive", host = "web01", name = "backup", status = 0, output });
        var result = await ExternalProcess.RunAsync(RequiredTool.Gearman,
            ["-h", _gearmand.Host, "-p", _gearmand.Port.ToString(), "-b", "-f", "narada.results", message]);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private IReadOnlyList<string> Stored() => [.. _controller.History.RecentResults("backup", "web01", 100).Select(r => r.Output)];

    [Fact]
    public async Task Results_sent_while_PostgreSQL_is_down_are_taken_in_once_it_is_back()
    {
        await PushAsync("before");
        await Retry.UntilAsync(() => Stored().Contains("before"), "the first result stored");

        await _postgres.StopAsync();
        for (int i = 1; i <= 5; i++)
            await PushAsync($"during {i}");
        await _postgres.StartServerAsync();

        await Retry.UntilAsync(() =>
        {
            try
            {
                return Enumerable.Range(1, 5).All(i => Stored().Contains($"during {i}"));
            }
            catch (Npgsql.NpgsqlException)
            {
                return false; // the test's own read may still meet the restarting server
            }
        }, "every result sent during the outage stored", TimeSpan.FromSeconds(60));
        Assert.Equal(6, Stored().Count);
        Assert.True(_controller.Checks.TryGet("backup", "web01", out var state));
        Assert.StartsWith("during", state.State.Output);
    }

    public async Task DisposeAsync()
    {
        await _controller.DisposeAsync();
        await _gearmand.DisposeAsync();
        await _postgres.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
