using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Narada.Testing;
using Npgsql;

namespace Narada.Cli.Tests.Verbs;

/// <summary>
/// <c>narada server --store postgresql://...</c> as operators run it: two member processes sharing a real PostgreSQL
/// (password from PGPASSWORD, not the command line), a stock gearmand and a <c>narada agent</c> process. The member
/// that runs the checks is killed with SIGKILL; the other must take over without a missed interval.
/// </summary>
[Trait("Category", "Peers")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ClusterServerTests : IAsyncLifetime
{
    private const int IntervalMs = 2000;
    private readonly string _dir = Directory.CreateTempSubdirectory("narada-cluster-cli-").FullName;
    private readonly List<(ExternalProcess Process, int Http)> _members = [];
    private GearmandServer _gearmand = null!;
    private LedgerPlugin _ledger = null!;
    private string _url = "";
    private string _connection = "";
    private ExternalProcess? _agent;

    public async Task InitializeAsync()
    {
        _gearmand = await GearmandServer.StartAsync();
        var postgres = await PostgresServer.SharedAsync();
        _connection = await postgres.CreateDatabaseAsync();
        var database = new NpgsqlConnectionStringBuilder(_connection).Database;
        _url = $"postgresql://{PostgresServer.PasswordUser}@127.0.0.1:{postgres.Port}/{database}";
        _ledger = new LedgerPlugin(_dir);
        var config = Directory.CreateDirectory(Path.Combine(_dir, "config")).FullName;
        await File.WriteAllTextAsync(Path.Combine(config, "checks.yaml"), _ledger.Check("tick", "2s", "web01"));
        await File.WriteAllTextAsync(Path.Combine(_dir, "agent.yaml"), $"""
            name: web01
            servers: [{_gearmand.Address}]
            plugin_dirs: [{_ledger.PluginDirectory}]
            heartbeat_interval: 1s
            """);
    }

    private async Task<ExternalProcess> StartMemberAsync()
    {
        int http = FreePort.Next();
        var member = NaradaCli.Start(["server", "--server", _gearmand.Address, "--store", _url, "--config", Path.Combine(_dir, "config"),
            "--data", Path.Combine(_dir, $"data{_members.Count}"), "--http", $"127.0.0.1:{http}"],
            new Dictionary<string, string> { ["PGPASSWORD"] = PostgresServer.Password });
        _members.Add((member, http));
        await GearmandServer.WaitForListenerAsync(http, () => member.HasExited ? $"the member exited: {member.Stdout}{member.Stderr}" : null,
            TimeSpan.FromSeconds(60));
        return member;
    }

    /// <summary>The member whose claims won the latest firings (its id names its process).</summary>
    private async Task<int> DispatchingMemberPidAsync()
    {
        await using var db = new NpgsqlConnection(_connection);
        await db.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT member FROM firings ORDER BY at DESC LIMIT 1", db);
        var id = (string)(await cmd.ExecuteScalarAsync())!;
        return int.Parse(id.Split('-')[^2], CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task A_member_killed_with_SIGKILL_is_taken_over_without_a_missed_interval()
    {
        await StartMemberAsync();
        await StartMemberAsync();
        _agent = NaradaCli.Start(["agent", "--config", Path.Combine(_dir, "agent.yaml")]);
        await Retry.UntilAsync(() => _ledger.Runs().Length >= 3, "the check running", TimeSpan.FromSeconds(60));

        // Both members list each other.
        using var http = new HttpClient();
        await Retry.UntilAsync(async () =>
        {
            var cluster = await http.GetFromJsonAsync<JsonElement>($"http://127.0.0.1:{_members[1].Http}/api/cluster");
            return cluster.GetProperty("members").GetArrayLength() == 2;
        }, "both members in /api/cluster");

        var victim = await DispatchingMemberPidAsync();
        var survivor = _members.Single(m => m.Process.Id != victim);
        var killedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var kill = await ExternalProcess.RunAsync(RequiredTool.Path("kill", "procps"), ["-KILL", victim.ToString(CultureInfo.InvariantCulture)]);
        Assert.Equal(0, kill.ExitCode);

        await Retry.UntilAsync(() => _ledger.Runs().Count(r => r > killedAt) >= 4, "four runs after the kill", TimeSpan.FromSeconds(60));
        var runs = _ledger.Runs().Where(r => r > killedAt - 3 * IntervalMs).ToArray();
        var gaps = runs.Zip(runs.Skip(1), (a, b) => b - a).ToArray();
        // No interval without a run (the surviving member claims the next job due), and still none run twice: gaps
        // of one interval, never under a quarter or over two (plus a second of slack for a loaded machine).
        Assert.All(gaps, gap => Assert.InRange(gap, IntervalMs / 4, IntervalMs * 2 + 1000));

        // The dead member leaves the membership within its timeout (10 s).
        await Retry.UntilAsync(async () =>
        {
            var cluster = await http.GetFromJsonAsync<JsonElement>($"http://127.0.0.1:{survivor.Http}/api/cluster");
            var members = cluster.GetProperty("members").EnumerateArray().ToArray();
            return members.Length == 1 && members[0].GetProperty("leader").GetBoolean();
        }, "the survivor alone, and leading", TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(PostgresServer.Password, survivor.Process.Stdout + survivor.Process.Stderr);
    }

    public async Task DisposeAsync()
    {
        if (_agent is not null)
            await _agent.DisposeAsync();
        foreach (var (member, _) in _members)
            await member.DisposeAsync();
        await _gearmand.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
