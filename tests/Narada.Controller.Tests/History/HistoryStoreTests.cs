using Narada.Controller.Handlers;
using Narada.Controller.History;
using Narada.Controller.State;
using Narada.Controller.Store;
using Narada.Core.Formats;
using Narada.Testing;

namespace Narada.Controller.Tests.History;

/// <summary>Every behaviour of the store, on the embedded SQLite and on a real PostgreSQL alike.</summary>
[Trait("Category", "Peers")]
public sealed class HistoryStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("narada-history-").FullName;
    private StoreLocation? _location;

    public static TheoryData<StoreKind> Stores => [StoreKind.Sqlite, StoreKind.Postgres];

    /// <summary>The same store each time within a test: a file in its directory, or a database of its own.</summary>
    private async Task<StoreLocation> Store(StoreKind kind) => _location ??= kind == StoreKind.Sqlite
        ? StoreLocation.Sqlite(Path.Combine(_dir, "state", "controller.db"))
        : new StoreLocation(StoreKind.Postgres, await (await PostgresServer.SharedAsync()).CreateDatabaseAsync());

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Silences_outlive_a_restart_until_they_expire_or_are_removed(StoreKind kind)
    {
        var now = DateTimeOffset.UtcNow;
        string kept;
        await using (var store = HistoryStore.Open(await Store(kind)))
        {
            var book = new SilenceBook();
            book.Attach(store, now);
            kept = book.Add("disk", null, null, now.AddHours(1), "maintenance").Id;
            book.Add(null, null, "db", now.AddMinutes(1), "expires before the restart");
            book.Remove(book.Add(null, "web01", null, now.AddHours(1), "lifted").Id);
        }
        // not even a flush: an acknowledged silence is on disk already

        await using var reopened = HistoryStore.Open(await Store(kind));
        var later = now.AddMinutes(2);
        var restored = new SilenceBook();
        restored.Attach(reopened, later);
        var silence = Assert.Single(restored.Active(later));
        Assert.Equal((kept, "disk", "maintenance"), (silence.Id, silence.Check, silence.Reason));
        Assert.Null(silence.Host);
        Assert.True(restored.IsSilenced("disk", "web07", [], later));
        Assert.False(restored.IsSilenced("load", "web01", ["db"], later));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task State_saved_before_a_restart_is_resumed_after_it(StoreKind kind)
    {
        var now = DateTimeOffset.UtcNow;
        var state = new CheckState("disk", "web01", 3, now);
        state.Apply(CheckStatus.Critical, "full", now.AddSeconds(1));
        state.Apply(CheckStatus.Critical, "full", now.AddSeconds(2));

        await using (var store = HistoryStore.Open(await Store(kind)))
        {
            store.Save(state.ToRecord());
            await store.FlushAsync();
        }

        await using var reopened = HistoryStore.Open(await Store(kind));
        var saved = Assert.Single(reopened.LoadStates());
        var resumed = CheckState.Restore(saved, maxAttempts: 3);
        Assert.Equal((StateType.Soft, 2, CheckStatus.Critical), (resumed.Type, resumed.Attempt, resumed.Status));

        // The third failure after the restart is the one that makes it hard, as it would have been without one.
        var third = resumed.Apply(CheckStatus.Critical, "full", now.AddSeconds(3));
        Assert.True(third.HardChange);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Results_and_events_come_back_newest_first(StoreKind kind)
    {
        var now = DateTimeOffset.UtcNow;
        await using var store = HistoryStore.Open(await Store(kind));
        for (int i = 0; i < 5; i++)
            store.Add(new ResultRecord(now.AddSeconds(i), "load", "db01", (CheckStatus)(i % 4), $"run {i}", i));
        store.Add(new EventRecord(now, "hard", "load", "db01", CheckStatus.Ok, CheckStatus.Critical, "Hard", 1, "boom"));
        await store.FlushAsync();

        var results = store.RecentResults("load", "db01", 3);
        Assert.Equal(["run 4", "run 3", "run 2"], results.Select(r => r.Output));
        var e = Assert.Single(store.RecentEvents(10, host: "db01"));
        Assert.Equal(CheckStatus.Critical, e.Current);
        Assert.Empty(store.RecentEvents(10, host: "other"));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Results_older_than_the_retention_are_pruned(StoreKind kind)
    {
        var now = DateTimeOffset.UtcNow;
        await using var store = HistoryStore.Open(await Store(kind), retention: TimeSpan.FromDays(1));
        store.Add(new ResultRecord(now.AddDays(-2), "load", "db01", CheckStatus.Ok, "old", 1));
        store.Add(new ResultRecord(now, "load", "db01", CheckStatus.Ok, "new", 1));
        await store.FlushAsync();
        Assert.Equal(["new"], store.RecentResults("load", "db01", 10).Select(r => r.Output));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Results_written_several_to_a_statement_all_land_in_order_among_the_events_between_them(StoreKind kind)
    {
        var now = DateTimeOffset.UtcNow;
        await using var store = HistoryStore.Open(await Store(kind));
        // 37 results (more than one multi-row INSERT, and not a multiple of one) with events and a null output between.
        for (int i = 0; i < 37; i++)
        {
            store.Add(new ResultRecord(now.AddMilliseconds(i), "disk", "web01", i % 5 == 0 ? CheckStatus.Warning : CheckStatus.Ok,
                $"result {i}", i));
            if (i % 10 == 0)
                store.Add(new EventRecord(now.AddMilliseconds(i), "soft", "disk", "web01", CheckStatus.Ok, CheckStatus.Warning, "Soft", 1, $"event {i}"));
        }
        store.Add(new ResultRecord(now, "load", "web01", CheckStatus.Ok, "other check", 0));
        await store.FlushAsync();

        var results = store.RecentResults("disk", "web01", 100);
        Assert.Equal(Enumerable.Range(0, 37).Reverse().Select(i => $"result {i}"), results.Select(r => r.Output));
        Assert.Equal(CheckStatus.Warning, results.Single(r => r.Output == "result 35").Status);
        Assert.Equal(12.0, results.Single(r => r.Output == "result 12").DurationMs);
        Assert.Equal(["event 30", "event 20", "event 10", "event 0"], store.RecentEvents(10, "disk", "web01").Select(e => e.Output));
        Assert.Equal(["other check"], store.RecentResults("load", "web01", 10).Select(r => r.Output));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
