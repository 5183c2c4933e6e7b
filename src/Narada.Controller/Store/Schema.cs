using System.Data;
using System.Data.Common;

namespace Narada.Controller.Store;

/// <summary>
/// The store's tables as numbered migrations, applied by the controller itself at start. Each runs once, in order, in
/// one transaction with the version it brings; two controllers starting at once on one PostgreSQL serialise on an
/// advisory lock, so the second finds the work done.
/// </summary>
public static class Schema
{
    /// <summary>The advisory lock migrations take on PostgreSQL (any constant both sides agree on).</summary>
    private const long MigrationLock = 0x4e61726164614d31; // "NaradaM1"

    /// <summary>(version, SQL) for each store kind, oldest first. Never edit a released one: add the next.</summary>
    public static IReadOnlyList<(int Version, string Sql)> Migrations(StoreKind kind) => kind switch
    {
        StoreKind.Sqlite => [(1, SqliteV1)],
        StoreKind.Postgres => [(1, PostgresV1)],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The version the store is at once <see cref="Migrate"/> returns.</summary>
    public static int Latest(StoreKind kind) => Migrations(kind)[^1].Version;

    /// <summary>Brings the store on <paramref name="db"/> to the latest version; returns the versions applied.</summary>
    public static IReadOnlyList<int> Migrate(DbConnection db, StoreKind kind)
    {
        if (kind == StoreKind.Sqlite)
        {
            // Outside any transaction, as SQLite requires.
            Execute(db, null, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
        }
        using var tx = db.BeginTransaction(IsolationLevel.Serializable);
        if (kind == StoreKind.Postgres)
            Execute(db, tx, $"SELECT pg_advisory_xact_lock({MigrationLock})");
        Execute(db, tx, "CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL, applied BIGINT NOT NULL)");
        int current;
        using (var cmd = db.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
            current = Convert.ToInt32(cmd.ExecuteScalar());
        }
        if (current > Latest(kind))
            throw new InvalidOperationException(
                $"the store is at schema version {current}, newer than this controller knows ({Latest(kind)}): upgrade the controller");
        var applied = new List<int>();
        foreach (var (version, sql) in Migrations(kind))
        {
            if (version <= current)
                continue;
            Execute(db, tx, sql);
            Execute(db, tx, $"INSERT INTO schema_version(version, applied) VALUES({version}, {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()})");
            applied.Add(version);
        }
        tx.Commit();
        return applied;
    }

    private static void Execute(DbConnection db, DbTransaction? tx, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    // IF NOT EXISTS: a database from before versioning already holds these tables, and becomes version 1 as it is.
    private const string SqliteV1 = """
        CREATE TABLE IF NOT EXISTS results(id INTEGER PRIMARY KEY, at INTEGER NOT NULL, check_name TEXT NOT NULL,
            host TEXT NOT NULL, status INTEGER NOT NULL, output TEXT NOT NULL, duration_ms REAL NOT NULL);
        CREATE INDEX IF NOT EXISTS results_by_check ON results(check_name, host, id);
        CREATE INDEX IF NOT EXISTS results_by_time ON results(at);
        CREATE TABLE IF NOT EXISTS events(id INTEGER PRIMARY KEY, at INTEGER NOT NULL, kind TEXT NOT NULL,
            check_name TEXT NOT NULL, host TEXT NOT NULL, previous INTEGER NOT NULL, current INTEGER NOT NULL,
            state_type TEXT NOT NULL, attempt INTEGER NOT NULL, output TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS events_by_time ON events(at);
        CREATE TABLE IF NOT EXISTS check_state(check_name TEXT NOT NULL, host TEXT NOT NULL, status INTEGER NOT NULL,
            hard_status INTEGER NOT NULL, state_type TEXT NOT NULL, attempt INTEGER NOT NULL, output TEXT NOT NULL,
            last_result INTEGER, last_ok INTEGER, last_change INTEGER NOT NULL, last_hard_change INTEGER NOT NULL,
            PRIMARY KEY(check_name, host));
        CREATE TABLE IF NOT EXISTS rollouts(id TEXT PRIMARY KEY, apply TEXT NOT NULL, started INTEGER NOT NULL,
            finished INTEGER, status TEXT NOT NULL, dry_run INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS rollout_hosts(id INTEGER PRIMARY KEY, rollout_id TEXT NOT NULL, at INTEGER NOT NULL,
            host TEXT NOT NULL, path TEXT NOT NULL, outcome TEXT NOT NULL, message TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS rollout_hosts_by_id ON rollout_hosts(rollout_id);
        CREATE TABLE IF NOT EXISTS silences(id TEXT PRIMARY KEY, check_name TEXT, host TEXT, tag TEXT, until INTEGER NOT NULL,
            reason TEXT NOT NULL);
        """;

    // The same history tables, and what a cluster shares beyond them: the full check state (flap history, what the
    // last result carried, who took it), hosts as heartbeats left them, the latest series per host and source,
    // members, and the claims that make each firing run once.
    private const string PostgresV1 = """
        CREATE TABLE results(id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, at BIGINT NOT NULL,
            check_name TEXT NOT NULL, host TEXT NOT NULL, status INTEGER NOT NULL, output TEXT NOT NULL,
            duration_ms DOUBLE PRECISION NOT NULL);
        CREATE INDEX results_by_check ON results(check_name, host, id);
        CREATE INDEX results_by_time ON results(at);
        CREATE TABLE events(id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, at BIGINT NOT NULL, kind TEXT NOT NULL,
            check_name TEXT NOT NULL, host TEXT NOT NULL, previous INTEGER NOT NULL, current INTEGER NOT NULL,
            state_type TEXT NOT NULL, attempt INTEGER NOT NULL, output TEXT NOT NULL);
        CREATE INDEX events_by_time ON events(at);
        CREATE TABLE check_state(check_name TEXT NOT NULL, host TEXT NOT NULL, status INTEGER NOT NULL,
            hard_status INTEGER NOT NULL, state_type TEXT NOT NULL, attempt INTEGER NOT NULL, output TEXT NOT NULL,
            last_result BIGINT, last_ok BIGINT, last_change BIGINT NOT NULL, last_hard_change BIGINT NOT NULL,
            flaps TEXT NOT NULL DEFAULT '', plugin TEXT NOT NULL DEFAULT '', long_output TEXT NOT NULL DEFAULT '',
            perfdata TEXT NOT NULL DEFAULT '[]', duration_s DOUBLE PRECISION NOT NULL DEFAULT 0,
            stale BOOLEAN NOT NULL DEFAULT FALSE, updated BIGINT NOT NULL DEFAULT 0, PRIMARY KEY(check_name, host));
        CREATE INDEX check_state_by_update ON check_state(updated);
        CREATE TABLE rollouts(id TEXT PRIMARY KEY, apply TEXT NOT NULL, started BIGINT NOT NULL, finished BIGINT,
            status TEXT NOT NULL, dry_run INTEGER NOT NULL);
        CREATE TABLE rollout_hosts(id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, rollout_id TEXT NOT NULL,
            at BIGINT NOT NULL, host TEXT NOT NULL, path TEXT NOT NULL, outcome TEXT NOT NULL, message TEXT NOT NULL);
        CREATE INDEX rollout_hosts_by_id ON rollout_hosts(rollout_id);
        CREATE TABLE silences(id TEXT PRIMARY KEY, check_name TEXT, host TEXT, tag TEXT, until BIGINT NOT NULL,
            reason TEXT NOT NULL);
        CREATE TABLE hosts(name TEXT PRIMARY KEY, heartbeat BIGINT NOT NULL, interval_ms BIGINT NOT NULL, tags TEXT NOT NULL,
            plugins TEXT NOT NULL, facts TEXT NOT NULL, version TEXT, instance TEXT, updated BIGINT NOT NULL);
        CREATE INDEX hosts_by_update ON hosts(updated);
        CREATE TABLE samples(host TEXT NOT NULL, source TEXT NOT NULL, at BIGINT NOT NULL, body TEXT NOT NULL,
            PRIMARY KEY(host, source));
        CREATE INDEX samples_by_time ON samples(at);
        CREATE TABLE members(id TEXT PRIMARY KEY, address TEXT NOT NULL, started BIGINT NOT NULL, last_seen BIGINT NOT NULL,
            doing TEXT NOT NULL);
        CREATE TABLE firings(key TEXT NOT NULL, slot BIGINT NOT NULL, member TEXT NOT NULL, at BIGINT NOT NULL,
            PRIMARY KEY(key, slot));
        CREATE INDEX firings_by_time ON firings(at);
        """;
}
