using Microsoft.Data.Sqlite;
using Npgsql;

namespace Narada.Controller.Store;

/// <summary>What one import moved, table by table.</summary>
public sealed record ImportCounts(bool AlreadyImported, IReadOnlyDictionary<string, long> Rows);

/// <summary>
/// Moves a single controller's SQLite store (history, events, check states, rollouts, silences) into a cluster's
/// PostgreSQL store, in one transaction, once: the import is recorded in the target, and a second run with the same
/// file changes nothing. States already in the target (a cluster that has run meanwhile) win over imported ones.
/// </summary>
public static class SqliteImport
{
    private static readonly (string Table, string Columns, string Conflict)[] Tables =
    [
        ("results", "at, check_name, host, status, output, duration_ms", ""),
        ("events", "at, kind, check_name, host, previous, current, state_type, attempt, output", ""),
        ("check_state", "check_name, host, status, hard_status, state_type, attempt, output, last_result, last_ok, last_change, last_hard_change",
            " ON CONFLICT DO NOTHING"),
        ("rollouts", "id, apply, started, finished, status, dry_run", " ON CONFLICT DO NOTHING"),
        ("rollout_hosts", "rollout_id, at, host, path, outcome, message", ""),
        ("silences", "id, check_name, host, tag, until, reason", " ON CONFLICT DO NOTHING"),
    ];

    public static ImportCounts Run(string sqlitePath, string postgres)
    {
        if (!File.Exists(sqlitePath))
            throw new FileNotFoundException($"--import-sqlite {sqlitePath}: no such file", sqlitePath);
        var source = Path.GetFullPath(sqlitePath);
        using var from = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = source, Mode = SqliteOpenMode.ReadOnly }.ToString());
        from.Open();
        using var to = new NpgsqlConnection(postgres);
        to.Open();
        Schema.Migrate(to, StoreKind.Postgres);
        using var tx = to.BeginTransaction();
        using (var create = new NpgsqlCommand(
            "CREATE TABLE IF NOT EXISTS imports(source TEXT PRIMARY KEY, at BIGINT NOT NULL); LOCK TABLE imports IN EXCLUSIVE MODE", to, tx))
            create.ExecuteNonQuery();
        using (var mark = new NpgsqlCommand("INSERT INTO imports(source, at) VALUES(@s, @at) ON CONFLICT DO NOTHING", to, tx))
        {
            mark.Parameters.AddWithValue("s", source);
            mark.Parameters.AddWithValue("at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            if (mark.ExecuteNonQuery() == 0)
                return new ImportCounts(true, new Dictionary<string, long>());
        }
        var counts = new Dictionary<string, long>();
        foreach (var (table, columns, conflict) in Tables)
            counts[table] = Copy(from, to, tx, table, columns, conflict);
        tx.Commit();
        return new ImportCounts(false, counts);
    }

    private static long Copy(SqliteConnection from, NpgsqlConnection to, NpgsqlTransaction tx, string table, string columns, string conflict)
    {
        var names = columns.Split(", ");
        using var read = from.CreateCommand();
        read.CommandText = $"SELECT {columns} FROM {table}";
        using var r = read.ExecuteReader();
        using var insert = new NpgsqlCommand(
            $"INSERT INTO {table}({columns}) VALUES({string.Join(", ", names.Select((_, i) => $"@p{i}"))}){conflict}", to, tx);
        long rows = 0;
        while (r.Read())
        {
            insert.Parameters.Clear();
            for (int i = 0; i < names.Length; i++)
                insert.Parameters.AddWithValue($"p{i}", r.IsDBNull(i) ? DBNull.Value : r.GetValue(i));
            rows += insert.ExecuteNonQuery();
        }
        return rows;
    }
}
