using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Narada.Core.Formats;

namespace Narada.Controller.History;

/// <summary>
/// Results, events, current check state, rollouts and silences in an embedded SQLite database (WAL). Writes are queued and committed in
/// batches by one writer task, so result intake never waits on the disk; reads use their own connection.
/// </summary>
public sealed class HistoryStore : IAsyncDisposable
{
    private const int MaxBatch = 2000;
    private readonly string _connectionString;
    private readonly Channel<object> _writes = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private readonly TimeSpan _retention;

    private HistoryStore(string path, TimeSpan retention)
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
        _retention = retention;
        using (var db = Open())
            Execute(db, Schema);
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Opens (creating when missing) the database at <paramref name="path"/>; results older than
    /// <paramref name="retention"/> are pruned as new ones arrive.</summary>
    public static HistoryStore Open(string path, TimeSpan? retention = null)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
            Directory.CreateDirectory(directory);
        return new HistoryStore(path, retention ?? TimeSpan.FromDays(7));
    }

    public void Add(ResultRecord result) => _writes.Writer.TryWrite(result);
    public void Add(EventRecord e) => _writes.Writer.TryWrite(e);
    public void Save(StateRecord state) => _writes.Writer.TryWrite(state);
    public void Add(RolloutRecord rollout) => _writes.Writer.TryWrite(rollout);
    public void Add(RolloutHostRecord outcome) => _writes.Writer.TryWrite(outcome);

    /// <summary>Marks rollouts a previous run left unfinished as interrupted and returns their ids.</summary>
    public IReadOnlyList<string> InterruptUnfinishedRollouts()
    {
        using var db = Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "UPDATE rollouts SET status = 'interrupted', finished = $now WHERE status = 'running' RETURNING id";
        cmd.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        using var r = cmd.ExecuteReader();
        var ids = new List<string>();
        while (r.Read())
            ids.Add(r.GetString(0));
        return ids;
    }

    /// <summary>Recent rollouts, newest first: id, apply, status, start.</summary>
    public IReadOnlyList<RolloutRecord> RecentRollouts(int limit)
    {
        using var db = Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT id, apply, started, status, dry_run FROM rollouts ORDER BY started DESC LIMIT $l";
        cmd.Parameters.AddWithValue("$l", limit);
        using var r = cmd.ExecuteReader();
        var list = new List<RolloutRecord>();
        while (r.Read())
            list.Add(new RolloutRecord(r.GetString(0), r.GetString(1), Time(r, 2)!.Value,
                Enum.Parse<Rollouts.RolloutStatus>(r.GetString(3), ignoreCase: true), r.GetInt32(4) != 0));
        return list;
    }

    /// <summary>Per-host outcomes of one rollout.</summary>
    public IReadOnlyList<RolloutHostRecord> RolloutHosts(string rolloutId)
    {
        using var db = Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT at, host, path, outcome, message FROM rollout_hosts WHERE rollout_id = $id ORDER BY id";
        cmd.Parameters.AddWithValue("$id", rolloutId);
        using var r = cmd.ExecuteReader();
        var list = new List<RolloutHostRecord>();
        while (r.Read())
            list.Add(new RolloutHostRecord(rolloutId, Time(r, 0)!.Value, r.GetString(1), r.GetString(2),
                Narada.Core.Contracts.ApplyOutcomes.Parse(r.GetString(3)), r.GetString(4)));
        return list;
    }

    /// <summary>Waits until everything queued so far is committed.</summary>
    public Task FlushAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _writes.Writer.TryWrite(done);
        return done.Task;
    }

    public IReadOnlyList<StateRecord> LoadStates()
    {
        using var db = Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT check_name, host, status, hard_status, state_type, attempt, output, last_result, last_ok, last_change, last_hard_change FROM check_state";
        using var r = cmd.ExecuteReader();
        var list = new List<StateRecord>();
        while (r.Read())
            list.Add(new StateRecord(r.GetString(0), r.GetString(1), (CheckStatus)r.GetInt32(2), (CheckStatus)r.GetInt32(3),
                r.GetString(4), r.GetInt32(5), r.GetString(6), Time(r, 7), Time(r, 8), Time(r, 9)!.Value, Time(r, 10)!.Value));
        return list;
    }

    /// <summary>Stores a silence at once (not through the write queue): an operator's acknowledged silence survives a crash.</summary>
    public void SaveSilence(Handlers.Silence silence)
    {
        using var db = Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "INSERT OR REPLACE INTO silences(id, check_name, host, tag, until, reason) VALUES($id,$c,$h,$t,$u,$r)";
        Bind(cmd, ("$id", silence.Id), ("$c", silence.Check), ("$h", silence.Host), ("$t", silence.Tag),
            ("$u", silence.Until.ToUnixTimeMilliseconds()), ("$r", silence.Reason));
        cmd.ExecuteNonQuery();
    }

    public void RemoveSilence(string id)
    {
        using var db = Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "DELETE FROM silences WHERE id = $id";
        cmd.Parameters.AddWithValue("$id", id);
        cmd.ExecuteNonQuery();
    }

    /// <summary>The silences that have not expired by <paramref name="now"/>; expired ones are deleted.</summary>
    public IReadOnlyList<Handlers.Silence> LoadSilences(DateTimeOffset now)
    {
        using var db = Open();
        using (var prune = db.CreateCommand())
        {
            prune.CommandText = "DELETE FROM silences WHERE until <= $now";
            prune.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            prune.ExecuteNonQuery();
        }
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT id, check_name, host, tag, until, reason FROM silences ORDER BY until";
        using var r = cmd.ExecuteReader();
        var list = new List<Handlers.Silence>();
        while (r.Read())
            list.Add(new Handlers.Silence(r.GetString(0), Text(r, 1), Text(r, 2), Text(r, 3), Time(r, 4)!.Value, r.GetString(5)));
        return list;
    }

    public IReadOnlyList<EventRecord> RecentEvents(int limit, string? check = null, string? host = null)
    {
        using var db = Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = """
            SELECT at, kind, check_name, host, previous, current, state_type, attempt, output FROM events
            WHERE ($check IS NULL OR check_name = $check) AND ($host IS NULL OR host = $host)
            ORDER BY id DESC LIMIT $limit
            """;
        cmd.Parameters.AddWithValue("$check", (object?)check ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$host", (object?)host ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$limit", limit);
        using var r = cmd.ExecuteReader();
        var list = new List<EventRecord>();
        while (r.Read())
            list.Add(new EventRecord(Time(r, 0)!.Value, r.GetString(1), r.GetString(2), r.GetString(3), (CheckStatus)r.GetInt32(4),
                (CheckStatus)r.GetInt32(5), r.GetString(6), r.GetInt32(7), r.GetString(8)));
        return list;
    }

    public IReadOnlyList<ResultRecord> RecentResults(string check, string host, int limit)
    {
        using var db = Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT at, status, output, duration_ms FROM results WHERE check_name = $c AND host = $h ORDER BY id DESC LIMIT $l";
        cmd.Parameters.AddWithValue("$c", check);
        cmd.Parameters.AddWithValue("$h", host);
        cmd.Parameters.AddWithValue("$l", limit);
        using var r = cmd.ExecuteReader();
        var list = new List<ResultRecord>();
        while (r.Read())
            list.Add(new ResultRecord(Time(r, 0)!.Value, check, host, (CheckStatus)r.GetInt32(1), r.GetString(2), r.GetDouble(3)));
        return list;
    }

    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        await _writer;
        SqliteConnection.ClearAllPools();
    }

    private async Task WriteLoopAsync()
    {
        using var db = Open();
        var batch = new List<object>(MaxBatch);
        var lastPrune = DateTimeOffset.MinValue;
        while (await _writes.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _writes.Reader.TryRead(out var item))
                batch.Add(item);
            using (var tx = db.BeginTransaction())
            {
                foreach (var item in batch)
                    Write(db, tx, item);
                if (DateTimeOffset.UtcNow - lastPrune > TimeSpan.FromMinutes(10))
                {
                    Prune(db, tx);
                    lastPrune = DateTimeOffset.UtcNow;
                }
                tx.Commit();
            }
            foreach (var item in batch)
                if (item is TaskCompletionSource done)
                    done.TrySetResult();
            batch.Clear();
        }
    }

    private static void Write(SqliteConnection db, SqliteTransaction tx, object item)
    {
        using var cmd = db.CreateCommand();
        cmd.Transaction = tx;
        switch (item)
        {
            case ResultRecord r:
                cmd.CommandText = "INSERT INTO results(at, check_name, host, status, output, duration_ms) VALUES($at,$c,$h,$s,$o,$d)";
                Bind(cmd, ("$at", r.At.ToUnixTimeMilliseconds()), ("$c", r.Check), ("$h", r.Host), ("$s", (int)r.Status),
                    ("$o", r.Output), ("$d", r.DurationMs));
                break;
            case EventRecord e:
                cmd.CommandText = """
                    INSERT INTO events(at, kind, check_name, host, previous, current, state_type, attempt, output)
                    VALUES($at,$k,$c,$h,$p,$n,$t,$a,$o)
                    """;
                Bind(cmd, ("$at", e.At.ToUnixTimeMilliseconds()), ("$k", e.Kind), ("$c", e.Check), ("$h", e.Host),
                    ("$p", (int)e.Previous), ("$n", (int)e.Current), ("$t", e.StateType), ("$a", e.Attempt), ("$o", e.Output));
                break;
            case StateRecord s:
                cmd.CommandText = """
                    INSERT OR REPLACE INTO check_state(check_name, host, status, hard_status, state_type, attempt, output,
                        last_result, last_ok, last_change, last_hard_change)
                    VALUES($c,$h,$s,$hs,$t,$a,$o,$lr,$lo,$lc,$lh)
                    """;
                Bind(cmd, ("$c", s.Check), ("$h", s.Host), ("$s", (int)s.Status), ("$hs", (int)s.HardStatus), ("$t", s.StateType),
                    ("$a", s.Attempt), ("$o", s.Output), ("$lr", s.LastResult?.ToUnixTimeMilliseconds()),
                    ("$lo", s.LastOk?.ToUnixTimeMilliseconds()), ("$lc", s.LastChange.ToUnixTimeMilliseconds()),
                    ("$lh", s.LastHardChange.ToUnixTimeMilliseconds()));
                break;
            case RolloutRecord ro:
                cmd.CommandText = ro.Status == Rollouts.RolloutStatus.Running
                    ? "INSERT INTO rollouts(id, apply, started, status, dry_run) VALUES($id,$a,$at,$s,$d)"
                    : "UPDATE rollouts SET status = $s, finished = $at WHERE id = $id";
                Bind(cmd, ("$id", ro.Id), ("$a", ro.Apply), ("$at", ro.At.ToUnixTimeMilliseconds()), ("$s", ro.Status.ToString().ToLowerInvariant()), ("$d", ro.DryRun ? 1 : 0));
                break;
            case RolloutHostRecord h:
                cmd.CommandText = "INSERT INTO rollout_hosts(rollout_id, at, host, path, outcome, message) VALUES($id,$at,$h,$p,$o,$m)";
                Bind(cmd, ("$id", h.RolloutId), ("$at", h.At.ToUnixTimeMilliseconds()), ("$h", h.Host), ("$p", h.Path),
                    ("$o", Narada.Core.Contracts.ApplyOutcomes.Name(h.Outcome)), ("$m", h.Message));
                break;
            default:
                return;
        }
        cmd.ExecuteNonQuery();
    }

    private void Prune(SqliteConnection db, SqliteTransaction tx)
    {
        long cutoff = (DateTimeOffset.UtcNow - _retention).ToUnixTimeMilliseconds();
        foreach (var table in new[] { "results", "events" })
        {
            using var cmd = db.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = $"DELETE FROM {table} WHERE at < $cutoff";
            cmd.Parameters.AddWithValue("$cutoff", cutoff);
            cmd.ExecuteNonQuery();
        }
    }

    private static void Bind(SqliteCommand cmd, params (string Name, object? Value)[] values)
    {
        foreach (var (name, value) in values)
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
    }

    private static string? Text(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static DateTimeOffset? Time(SqliteDataReader r, int i) =>
        r.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(i));

    private SqliteConnection Open()
    {
        var db = new SqliteConnection(_connectionString);
        db.Open();
        return db;
    }

    private static void Execute(SqliteConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private const string Schema = """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = NORMAL;
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
}
