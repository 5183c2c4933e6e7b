using System.Text.Json;
using Microsoft.Data.Sqlite;
using Narada.Gearman.Admin;
using Narada.Gearman.Client;
using Narada.Gearman.Transport;
using Narada.JobServer;
using Narada.Testing;

namespace Narada.Controller.Tests.Intake;

/// <summary>
/// A result is let go by the job server (WORK_COMPLETE) only once the controller's store holds it. Found by
/// bench/Narada.Chaos controller-kill: with the history written behind, a controller killed with SIGKILL lost results
/// the job server had already deleted (28 of 64,620 over 8 kills at 1,200 passive results/s).
/// </summary>
public sealed class ResultAcknowledgementTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("narada-ack-").FullName;
    private JobServer.JobServer _jobServer = null!;
    private NaradaController _controller = null!;
    private ServerAddress _address;

    public async Task InitializeAsync()
    {
        _jobServer = new JobServer.JobServer(new JobServerOptions { Port = 0 });
        await _jobServer.StartAsync();
        _address = new ServerAddress("127.0.0.1", _jobServer.Endpoint.Port);
        var config = Directory.CreateDirectory(Path.Combine(_dir, "config")).FullName;
        await File.WriteAllTextAsync(Path.Combine(config, "checks.yaml"), "");
        _controller = new NaradaController(new ControllerOptions
        {
            ConfigDirectory = config,
            DataDirectory = Path.Combine(_dir, "data"),
            Servers = [_address],
        });
        await _controller.StartAsync();
    }

    [Fact]
    public async Task A_result_stays_with_the_job_server_until_the_store_has_committed_it()
    {
        // Another writer holds the store: the controller's history write has to wait for it.
        await using var blocker = new SqliteConnection($"Data Source={Path.Combine(_dir, "data", "controller.db")};Pooling=False");
        await blocker.OpenAsync();
        await using (var begin = blocker.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE";
            await begin.ExecuteNonQueryAsync();
        }

        await using var client = new GearmanClient(new GearmanClientOptions { Servers = [_address] });
        var message = JsonSerializer.SerializeToUtf8Bytes(new { v = 1, type = "passive", host = "web01", name = "backup", status = 0, output = "kept" });
        await client.SubmitBackgroundAsync("narada.results", message);
        await using var admin = await GearmanAdminClient.ConnectAsync(_address);

        // The controller has taken the job and holds it, unanswered, while its store cannot commit the result.
        await Retry.UntilAsync(async () => await ResultsAsync(admin) is { Total: 1, Running: 1 }, "the controller holding the result");
        await Retry.UntilAsync(() => _controller.Checks.TryGet("backup", "web01", out _), "the controller taking the result in");
        Assert.Equal(0L, await StoredAsync(blocker));
        Assert.Equal(1L, (await ResultsAsync(admin))?.Total);

        await using (var rollback = blocker.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync();
        }
        await Retry.UntilAsync(async () => await ResultsAsync(admin) is null or { Total: 0 }, "the result to be let go once stored",
            TimeSpan.FromSeconds(60));
        Assert.Equal(1L, await StoredAsync(blocker));
    }

    private static async Task<FunctionStatus?> ResultsAsync(GearmanAdminClient admin) =>
        (await admin.GetStatusAsync()).FirstOrDefault(s => s.Function == "narada.results");

    private static async Task<long> StoredAsync(SqliteConnection db)
    {
        await using var count = db.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM results WHERE output = 'kept'";
        return (long)(await count.ExecuteScalarAsync())!;
    }

    public async Task DisposeAsync()
    {
        await _controller.DisposeAsync();
        await _jobServer.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
