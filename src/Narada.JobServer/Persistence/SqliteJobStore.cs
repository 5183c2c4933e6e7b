using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Narada.JobServer.Engine;
using Narada.JobServer.Metrics;

namespace Narada.JobServer.Persistence;

/// <summary>
/// The persistent background queue: one SQLite file in WAL mode. A single writer task takes every insert and delete
/// that piled up while the previous transaction committed and writes them in one transaction (group commit), then
/// completes the submitters' waits, so a burst of submits costs one fsync, not one each.
/// </summary>
internal sealed class SqliteJobStore : IAsyncDisposable
{
    private const int MaxBatch = 4096;
    private readonly SqliteConnection _connection;
    private readonly Channel<Change> _changes = Channel.CreateUnbounded<Change>(new UnboundedChannelOptions { SingleReader = true });
    private readonly JobServerMetrics _metrics;
    private readonly ILogger _logger;
    private Task _writer = Task.CompletedTask;
    private long _lastId;

    private SqliteJobStore(SqliteConnection connection, JobServerMetrics metrics, ILogger logger)
    {
        _connection = connection;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>
    /// Opens (creating if needed) the queue file and returns it with the jobs it holds, after moving in the jobs of
    /// gearmand's queue table <paramref name="gearmandTable"/> if the file has one (see <see cref="TakeOverGearmandQueue"/>).
    /// </summary>
    public static (SqliteJobStore Store, IReadOnlyList<StoredJob> Jobs) Open(string path, string gearmandTable, JobServerMetrics metrics,
        ILogger logger)
    {
        if (!JobServerOptions.IsTableName(gearmandTable))
            throw new ArgumentException($"'{gearmandTable}' is not a table name (a letter or _, then letters, digits or _)", nameof(gearmandTable));
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
        Execute(connection, """
            CREATE TABLE IF NOT EXISTS background_jobs (
                id INTEGER PRIMARY KEY,
                function TEXT NOT NULL,
                uniq TEXT NOT NULL,
                priority INTEGER NOT NULL,
                run_at INTEGER NOT NULL,
                data BLOB NOT NULL)
            """);
        int tookOver = TakeOverGearmandQueue(connection, gearmandTable);
        if (tookOver > 0)
            Log.TookOverGearmandQueue(logger, tookOver, gearmandTable, Path.GetFullPath(path));
        var jobs = new List<StoredJob>();
        using (var select = connection.CreateCommand())
        {
            select.CommandText = "SELECT id, function, uniq, priority, run_at, data FROM background_jobs ORDER BY id";
            using var reader = select.ExecuteReader();
            while (reader.Read())
                jobs.Add(new StoredJob(reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                    (JobPriority)Math.Clamp(reader.GetInt32(3), 0, 2), reader.GetInt64(4), (byte[])reader.GetValue(5)));
        }
        var store = new SqliteJobStore(connection, metrics, logger) { _lastId = jobs.Count == 0 ? 0 : jobs[^1].Id };
        store._writer = Task.Run(store.WriteLoopAsync);
        return (store, jobs);
    }

    /// <summary>Queues the job's insert; the task completes once it is committed.</summary>
    public Task Add(Job job, out long id)
    {
        id = Interlocked.Increment(ref _lastId);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var row = new StoredJob(id, job.Function.Name, job.Unique, job.Priority, job.RunAt, job.Data.ToArray());
        if (!_changes.Writer.TryWrite(new Change(row, id, done)))
            done.SetException(new ObjectDisposedException(nameof(SqliteJobStore)));
        return done.Task;
    }

    /// <summary>Queues the delete of a finished job; nobody waits for it (a job run twice after a crash beats a lost one).</summary>
    public void Remove(long id) => _changes.Writer.TryWrite(new Change(null, id, null));

    private async Task WriteLoopAsync()
    {
        var batch = new List<Change>(MaxBatch);
        while (await _changes.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _changes.Reader.TryRead(out var change))
                batch.Add(change);
            long started = Stopwatch.GetTimestamp();
            try
            {
                Commit(batch);
                _metrics.Persisted(Stopwatch.GetElapsedTime(started));
                foreach (var c in batch)
                    c.Done?.TrySetResult();
            }
            catch (SqliteException e)
            {
                Log.PersistFailed(_logger, batch.Count, e);
                foreach (var c in batch)
                    c.Done?.TrySetException(e);
            }
        }
    }

    private void Commit(List<Change> batch)
    {
        // An insert deleted in the same batch (job done before its commit) need not touch the file at all.
        var deleted = batch.Where(c => c.Row is null).Select(c => c.Id).ToHashSet();
        var insertedHere = batch.Where(c => c.Row is not null).Select(c => c.Id).ToHashSet();
        using var transaction = _connection.BeginTransaction();
        using var insert = _connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO background_jobs (id, function, uniq, priority, run_at, data) VALUES ($id, $f, $u, $p, $t, $d)";
        var id = insert.Parameters.Add("$id", SqliteType.Integer);
        var f = insert.Parameters.Add("$f", SqliteType.Text);
        var u = insert.Parameters.Add("$u", SqliteType.Text);
        var p = insert.Parameters.Add("$p", SqliteType.Integer);
        var t = insert.Parameters.Add("$t", SqliteType.Integer);
        var d = insert.Parameters.Add("$d", SqliteType.Blob);
        using var delete = _connection.CreateCommand();
        delete.Transaction = transaction;
        delete.CommandText = "DELETE FROM background_jobs WHERE id = $id";
        var deleteId = delete.Parameters.Add("$id", SqliteType.Integer);
        foreach (var c in batch)
        {
            if (c.Row is { } row)
            {
                if (deleted.Contains(row.Id))
                    continue;
                id.Value = row.Id;
                f.Value = row.Function;
                u.Value = row.Unique;
                p.Value = (int)row.Priority;
                t.Value = row.RunAt;
                d.Value = row.Data;
                insert.ExecuteNonQuery();
            }
            else if (!insertedHere.Contains(c.Id))
            {
                deleteId.Value = c.Id;
                delete.ExecuteNonQuery();
            }
        }
        transaction.Commit();
    }

    /// <summary>
    /// Moves the rows of gearmand's libsqlite3 queue table (unique_key, function_name, priority, data, when_to_run; the
    /// priorities are numbered as Narada's, when_to_run is Unix seconds as run_at) into background_jobs, in one
    /// transaction: after a crash half-way the jobs are in one table or the other, never both or neither. The emptied
    /// table stays for gearmand, should it be started on the file again. Returns how many jobs moved.
    /// </summary>
    private static int TakeOverGearmandQueue(SqliteConnection connection, string table)
    {
        using (var exists = connection.CreateCommand())
        {
            exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $name";
            exists.Parameters.AddWithValue("$name", table);
            if ((long)exists.ExecuteScalar()! == 0)
                return 0;
        }
        using var transaction = connection.BeginTransaction();
        using var move = connection.CreateCommand();
        move.Transaction = transaction;
        // gearmand gives every stored job a unique (a UUID when the client gave none) and keeps its data as a blob;
        // the casts and defaults only guard against rows written by hand.
        move.CommandText = $"""
            INSERT INTO background_jobs (function, uniq, priority, run_at, data)
                SELECT function_name, coalesce(unique_key, ''), coalesce(priority, 1), coalesce(when_to_run, 0), CAST(coalesce(data, x'') AS BLOB)
                FROM "{table}" WHERE function_name IS NOT NULL ORDER BY rowid
            """;
        int moved = move.ExecuteNonQuery();
        using var empty = connection.CreateCommand();
        empty.Transaction = transaction;
        empty.CommandText = $"DELETE FROM \"{table}\"";
        empty.ExecuteNonQuery();
        transaction.Commit();
        return moved;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public async ValueTask DisposeAsync()
    {
        _changes.Writer.TryComplete();
        await _writer;
        await _connection.DisposeAsync();
    }

    private readonly record struct Change(StoredJob? Row, long Id, TaskCompletionSource? Done);
}
