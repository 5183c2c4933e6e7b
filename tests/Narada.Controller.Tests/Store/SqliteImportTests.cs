using Narada.Controller.Handlers;
using Narada.Controller.History;
using Narada.Controller.Rollouts;
using Narada.Controller.State;
using Narada.Controller.Store;
using Narada.Core.Contracts;
using Narada.Core.Formats;
using Narada.Testing;

namespace Narada.Controller.Tests.Store;

[Trait("Category", "Peers")]
public sealed class SqliteImportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("narada-import-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_single_controllers_store_moves_into_the_cluster_store_once()
    {
        var sqlite = Path.Combine(_dir, "controller.db");
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var state = new CheckState("disk", "web01", 3, now);
        state.Apply(CheckStatus.Critical, "full", now);
        await using (var single = HistoryStore.Open(sqlite))
        {
            single.Add(new ResultRecord(now, "disk", "web01", CheckStatus.Critical, "full", 12.5));
            single.Add(new EventRecord(now, "soft", "disk", "web01", CheckStatus.Ok, CheckStatus.Critical, "Soft", 1, "full"));
            single.Save(state.ToRecord());
            single.Add(new RolloutRecord("r1", "motd", now, RolloutStatus.Running, DryRun: false));
            single.Add(new RolloutRecord("r1", "motd", now, RolloutStatus.Finished, DryRun: false));
            single.Add(new RolloutHostRecord("r1", now, "web01", "/etc/motd", ApplyOutcome.Changed, "written"));
            await single.FlushAsync();
            var silences = new SilenceBook();
            silences.Attach(single, now);
            silences.Add(null, "web02", null, now.AddHours(2), "moving racks");
        }
        var postgres = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();

        var first = SqliteImport.Run(sqlite, postgres);
        var again = SqliteImport.Run(sqlite, postgres);

        Assert.False(first.AlreadyImported);
        Assert.Equal(1, first.Rows["results"]);
        Assert.True(again.AlreadyImported);
        await using var cluster = HistoryStore.Open(new StoreLocation(StoreKind.Postgres, postgres));
        var result = Assert.Single(cluster.RecentResults("disk", "web01", 10));
        Assert.Equal(("full", 12.5, now), (result.Output, result.DurationMs, result.At));
        Assert.Equal(CheckStatus.Critical, Assert.Single(cluster.RecentEvents(10)).Current);
        var saved = Assert.Single(cluster.LoadStates());
        Assert.Equal((StateType.Soft, 1, CheckStatus.Critical), (Enum.Parse<StateType>(saved.StateType), saved.Attempt, saved.Status));
        Assert.Equal(("r1", RolloutStatus.Finished), (Assert.Single(cluster.RecentRollouts(10)).Id, cluster.RecentRollouts(10)[0].Status));
        Assert.Equal(ApplyOutcome.Changed, Assert.Single(cluster.RolloutHosts("r1")).Outcome);
        Assert.Equal("moving racks", Assert.Single(cluster.LoadSilences(now)).Reason);
    }
}
