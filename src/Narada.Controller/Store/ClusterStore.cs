using System.Text.Json;
using Narada.Controller.History;
using Narada.Controller.State;
using Narada.Core.Formats;
using Narada.Core.Metrics;
using Npgsql;

namespace Narada.Controller.Store;

/// <summary>A member of the cluster as the store knows it.</summary>
public sealed record ClusterMember(string Id, string Address, DateTimeOffset Started, DateTimeOffset LastSeen, string Doing, bool Leader);

/// <summary>A host as the last heartbeat any member took left it.</summary>
public sealed record SharedHost(string Name, DateTimeOffset Heartbeat, TimeSpan Interval, IReadOnlyList<string> Tags,
    IReadOnlyList<string> Plugins, IReadOnlyDictionary<string, object?> Facts, string? Version, string Instance);

/// <summary>A (check, host) state with what its last result carried, as the cluster shares it.</summary>
public sealed record SharedCheck(CheckState State, string Plugin, string LongOutput, IReadOnlyList<Core.Contracts.PerfDataItem> PerfData,
    double DurationSeconds, bool Stale);

/// <summary>
/// What the members of a cluster share in PostgreSQL beyond history: who is a member and who leads, the claim that makes
/// each firing run once, every (check, host) state advanced under its row's lock so each transition is seen by exactly
/// one member, hosts as heartbeats left them, and the latest series per host and source.
/// </summary>
public sealed class ClusterStore : IAsyncDisposable
{
    /// <summary>The advisory lock the leader holds on a connection of its own; it goes with the connection.</summary>
    private const long LeaderLock = 0x4e617261646c6431; // "Naradld1"

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private readonly NpgsqlDataSource _db;
    private NpgsqlConnection? _leaderConnection;

    public ClusterStore(NpgsqlDataSource db, TimeSpan memberTimeout)
    {
        _db = db;
        MemberTimeout = memberTimeout;
        Id = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
    }

    public string Id { get; }
    /// <summary>Where this member serves HTTP, once it does.</summary>
    public string Address { get; set; } = "";
    public DateTimeOffset Started { get; } = DateTimeOffset.UtcNow;

    /// <summary>A member not seen for this long is no longer one.</summary>
    public TimeSpan MemberTimeout { get; }

    /// <summary>True while this member holds the leader lock: it alone exports the fleet's series and marks stale checks.</summary>
    public bool IsLeader { get; private set; }

    /// <summary>Says this member is alive and what it does, drops members gone silent, and takes the lead when free.</summary>
    public void CheckIn(string doing, DateTimeOffset now)
    {
        using (var cmd = _db.CreateCommand("""
            INSERT INTO members(id, address, started, last_seen, doing) VALUES(@id, @a, @s, @now, @d)
            ON CONFLICT(id) DO UPDATE SET last_seen = excluded.last_seen, doing = excluded.doing, address = excluded.address;
            DELETE FROM members WHERE last_seen < @gone;
            """))
        {
            cmd.Parameters.AddWithValue("id", Id);
            cmd.Parameters.AddWithValue("a", Address);
            cmd.Parameters.AddWithValue("s", Started.ToUnixTimeMilliseconds());
            cmd.Parameters.AddWithValue("now", now.ToUnixTimeMilliseconds());
            cmd.Parameters.AddWithValue("d", doing);
            cmd.Parameters.AddWithValue("gone", (now - MemberTimeout).ToUnixTimeMilliseconds());
            cmd.ExecuteNonQuery();
        }
        Lead();
    }

    private void Lead()
    {
        try
        {
            if (_leaderConnection is null)
            {
                // Not from the pool: the lock must go when this connection goes, not linger in a pooled session.
                _leaderConnection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_db.ConnectionString) { Pooling = false }.ConnectionString);
                _leaderConnection.Open();
                using var take = new NpgsqlCommand($"SELECT pg_try_advisory_lock({LeaderLock})", _leaderConnection);
                IsLeader = (bool)take.ExecuteScalar()!;
                if (!IsLeader)
                {
                    _leaderConnection.Dispose();
                    _leaderConnection = null;
                }
                return;
            }
            // Still connected means still holding it: the lock lives exactly as long as the session.
            using var ping = new NpgsqlCommand("SELECT 1", _leaderConnection);
            ping.ExecuteScalar();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            IsLeader = false;
            _leaderConnection?.Dispose();
            _leaderConnection = null;
        }
    }

    /// <summary>The members seen within <see cref="MemberTimeout"/>, oldest first.</summary>
    public IReadOnlyList<ClusterMember> Members(DateTimeOffset now)
    {
        using var cmd = _db.CreateCommand("SELECT id, address, started, last_seen, doing FROM members WHERE last_seen >= @since ORDER BY started, id");
        cmd.Parameters.AddWithValue("since", (now - MemberTimeout).ToUnixTimeMilliseconds());
        using var r = cmd.ExecuteReader();
        var list = new List<ClusterMember>();
        while (r.Read())
            list.Add(new ClusterMember(r.GetString(0), r.GetString(1), Time(r.GetInt64(2)), Time(r.GetInt64(3)), r.GetString(4),
                r.GetString(0) == Id ? IsLeader : r.GetString(4).StartsWith("leading", StringComparison.Ordinal)));
        return list;
    }

    /// <summary>Claims one firing (<paramref name="key"/> in its interval <paramref name="slot"/>) for this member;
    /// false when another member has it. Every member fires on the same slots; the first claim wins.</summary>
    public bool TryClaim(string key, long slot, DateTimeOffset now)
    {
        using var cmd = _db.CreateCommand("INSERT INTO firings(key, slot, member, at) VALUES(@k, @s, @m, @at) ON CONFLICT DO NOTHING");
        cmd.Parameters.AddWithValue("k", key);
        cmd.Parameters.AddWithValue("s", slot);
        cmd.Parameters.AddWithValue("m", Id);
        cmd.Parameters.AddWithValue("at", now.ToUnixTimeMilliseconds());
        return cmd.ExecuteNonQuery() == 1;
    }

    /// <summary>
    /// Advances one (check, host) under its row's lock: the state as the store has it, <paramref name="apply"/> on it,
    /// the new state, the result and the events <paramref name="events"/> gives, in one transaction. Two members taking
    /// results for one check at once take turns, so each transition happens, and is reported, once.
    /// </summary>
    public (SharedCheck Check, StateChange Change) Record(string check, string host, int maxAttempts, DateTimeOffset at,
        Func<CheckState, StateChange> apply, SharedExtras extras, ResultRecord result, Func<StateChange, CheckState, IEnumerable<EventRecord>> events)
    {
        using var db = _db.OpenConnection();
        using var tx = db.BeginTransaction();
        // Lock first; only a (check, host) never seen before needs its row made, once.
        var state = LockState(db, tx, check, host, maxAttempts);
        if (state is null)
        {
            using var ensure = new NpgsqlCommand("""
                INSERT INTO check_state(check_name, host, status, hard_status, state_type, attempt, output, last_change, last_hard_change, updated)
                VALUES(@c, @h, 3, 0, 'Hard', 1, 'pending: no result yet', @at, @at, @at) ON CONFLICT DO NOTHING
                """, db, tx);
            ensure.Parameters.AddWithValue("c", check);
            ensure.Parameters.AddWithValue("h", host);
            ensure.Parameters.AddWithValue("at", at.ToUnixTimeMilliseconds());
            ensure.ExecuteNonQuery();
            state = LockState(db, tx, check, host, maxAttempts)!;
        }
        state.MaxAttempts = maxAttempts;
        var change = apply(state);
        // The new state, the result and its events go in one round trip.
        using var batch = new NpgsqlBatch(db, tx);
        var write = new NpgsqlBatchCommand("""
            UPDATE check_state SET status = @s, hard_status = @hs, state_type = @t, attempt = @a, output = @o, last_result = @lr,
                last_ok = @lo, last_change = @lc, last_hard_change = @lh, flaps = @f, plugin = @p, long_output = @lo2,
                perfdata = @pd, duration_s = @d, stale = @stale, updated = @u
            WHERE check_name = @c AND host = @h
            """);
        {
            var p = write.Parameters;
            p.AddWithValue("c", check);
            p.AddWithValue("h", host);
            p.AddWithValue("s", (int)state.Status);
            p.AddWithValue("hs", (int)state.HardStatus);
            p.AddWithValue("t", state.Type.ToString());
            p.AddWithValue("a", state.Attempt);
            p.AddWithValue("o", state.Output);
            p.AddWithValue("lr", (object?)state.LastResult?.ToUnixTimeMilliseconds() ?? DBNull.Value);
            p.AddWithValue("lo", (object?)state.LastOk?.ToUnixTimeMilliseconds() ?? DBNull.Value);
            p.AddWithValue("lc", state.LastChange.ToUnixTimeMilliseconds());
            p.AddWithValue("lh", state.LastHardChange.ToUnixTimeMilliseconds());
            p.AddWithValue("f", state.FlapSnapshot);
            p.AddWithValue("p", extras.Plugin);
            p.AddWithValue("lo2", extras.LongOutput);
            p.AddWithValue("pd", JsonSerializer.Serialize(extras.PerfData, Json));
            p.AddWithValue("d", extras.DurationSeconds);
            p.AddWithValue("stale", extras.Stale);
            p.AddWithValue("u", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            batch.BatchCommands.Add(write);
        }
        var resultRow = new NpgsqlBatchCommand(
            "INSERT INTO results(at, check_name, host, status, output, duration_ms) VALUES(@at, @c, @h, @s, @o, @d)");
        {
            var insert = resultRow;
            insert.Parameters.AddWithValue("at", result.At.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("c", result.Check);
            insert.Parameters.AddWithValue("h", result.Host);
            insert.Parameters.AddWithValue("s", (int)result.Status);
            insert.Parameters.AddWithValue("o", result.Output);
            insert.Parameters.AddWithValue("d", result.DurationMs);
            batch.BatchCommands.Add(insert);
        }
        foreach (var e in events(change, state))
        {
            var insert = new NpgsqlBatchCommand("""
                INSERT INTO events(at, kind, check_name, host, previous, current, state_type, attempt, output)
                VALUES(@at, @k, @c, @h, @p, @n, @t, @a, @o)
                """);
            insert.Parameters.AddWithValue("at", e.At.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("k", e.Kind);
            insert.Parameters.AddWithValue("c", e.Check);
            insert.Parameters.AddWithValue("h", e.Host);
            insert.Parameters.AddWithValue("p", (int)e.Previous);
            insert.Parameters.AddWithValue("n", (int)e.Current);
            insert.Parameters.AddWithValue("t", e.StateType);
            insert.Parameters.AddWithValue("a", e.Attempt);
            insert.Parameters.AddWithValue("o", e.Output);
            batch.BatchCommands.Add(insert);
        }
        batch.ExecuteNonQuery();
        tx.Commit();
        return (new SharedCheck(state, extras.Plugin, extras.LongOutput, extras.PerfData, extras.DurationSeconds, extras.Stale), change);
    }

    private static CheckState? LockState(NpgsqlConnection db, NpgsqlTransaction tx, string check, string host, int maxAttempts)
    {
        using var read = new NpgsqlCommand($"SELECT {StateColumns} FROM check_state WHERE check_name = @c AND host = @h FOR UPDATE", db, tx);
        read.Parameters.AddWithValue("c", check);
        read.Parameters.AddWithValue("h", host);
        using var r = read.ExecuteReader();
        return r.Read() ? ReadState(r, maxAttempts).State : null;
    }

    /// <summary>Marks a check stale (or fresh) for every member, so the leader's sweep does not mark it twice.</summary>
    public void SetStale(string check, string host, bool stale)
    {
        using var cmd = _db.CreateCommand("UPDATE check_state SET stale = @s, updated = @u WHERE check_name = @c AND host = @h");
        cmd.Parameters.AddWithValue("s", stale);
        cmd.Parameters.AddWithValue("u", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("c", check);
        cmd.Parameters.AddWithValue("h", host);
        cmd.ExecuteNonQuery();
    }

    /// <summary>States changed at or after <paramref name="sinceMs"/> (every state for 0).</summary>
    public IReadOnlyList<SharedCheck> ChecksChangedSince(long sinceMs, Func<string, int> attemptsOf)
    {
        using var cmd = _db.CreateCommand($"SELECT {StateColumns} FROM check_state WHERE updated >= @since");
        cmd.Parameters.AddWithValue("since", sinceMs);
        using var r = cmd.ExecuteReader();
        var list = new List<SharedCheck>();
        while (r.Read())
            list.Add(ReadState(r, attemptsOf(r.GetString(0))));
        return list;
    }

    /// <summary>Stores a heartbeat for every member.</summary>
    public void SaveHost(SharedHost host)
    {
        using var cmd = _db.CreateCommand("""
            INSERT INTO hosts(name, heartbeat, interval_ms, tags, plugins, facts, version, instance, updated)
            VALUES(@n, @hb, @i, @t, @p, @f, @v, @in, @u)
            ON CONFLICT(name) DO UPDATE SET heartbeat = excluded.heartbeat, interval_ms = excluded.interval_ms, tags = excluded.tags,
                plugins = excluded.plugins, facts = excluded.facts, version = excluded.version, instance = excluded.instance,
                updated = excluded.updated
            WHERE hosts.heartbeat <= excluded.heartbeat
            """);
        cmd.Parameters.AddWithValue("n", host.Name);
        cmd.Parameters.AddWithValue("hb", host.Heartbeat.ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("i", (long)host.Interval.TotalMilliseconds);
        cmd.Parameters.AddWithValue("t", JsonSerializer.Serialize(host.Tags, Json));
        cmd.Parameters.AddWithValue("p", JsonSerializer.Serialize(host.Plugins, Json));
        cmd.Parameters.AddWithValue("f", JsonSerializer.Serialize(host.Facts, Json));
        cmd.Parameters.AddWithValue("v", (object?)host.Version ?? DBNull.Value);
        cmd.Parameters.AddWithValue("in", host.Instance);
        cmd.Parameters.AddWithValue("u", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        cmd.ExecuteNonQuery();
    }

    public IReadOnlyList<SharedHost> HostsChangedSince(long sinceMs)
    {
        using var cmd = _db.CreateCommand("SELECT name, heartbeat, interval_ms, tags, plugins, facts, version, instance FROM hosts WHERE updated >= @since");
        cmd.Parameters.AddWithValue("since", sinceMs);
        using var r = cmd.ExecuteReader();
        var list = new List<SharedHost>();
        while (r.Read())
            list.Add(new SharedHost(r.GetString(0), Time(r.GetInt64(1)), TimeSpan.FromMilliseconds(r.GetInt64(2)),
                JsonSerializer.Deserialize<string[]>(r.GetString(3), Json) ?? [], JsonSerializer.Deserialize<string[]>(r.GetString(4), Json) ?? [],
                Facts(r.GetString(5)), r.IsDBNull(6) ? null : r.GetString(6), r.GetString(7)));
        return list;
    }

    /// <summary>Removes a host that left, with its checks and series, for every member.</summary>
    public void ForgetHost(string host)
    {
        using var cmd = _db.CreateCommand("DELETE FROM hosts WHERE name = @h; DELETE FROM check_state WHERE host = @h; DELETE FROM samples WHERE host = @h;");
        cmd.Parameters.AddWithValue("h", host);
        cmd.ExecuteNonQuery();
    }

    /// <summary>Stores the latest series of one host and source, replacing what was there.</summary>
    public void SaveSamples(string host, string source, IReadOnlyList<Sample> samples, DateTimeOffset at)
    {
        using var cmd = _db.CreateCommand("""
            INSERT INTO samples(host, source, at, body) VALUES(@h, @s, @at, @b)
            ON CONFLICT(host, source) DO UPDATE SET at = excluded.at, body = excluded.body
            """);
        cmd.Parameters.AddWithValue("h", host);
        cmd.Parameters.AddWithValue("s", source);
        cmd.Parameters.AddWithValue("at", at.ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("b", JsonSerializer.Serialize(samples, Json));
        cmd.ExecuteNonQuery();
    }

    public IReadOnlyList<(string Host, string Source, DateTimeOffset At, IReadOnlyList<Sample> Samples)> SamplesChangedSince(long sinceMs)
    {
        using var cmd = _db.CreateCommand("SELECT host, source, at, body FROM samples WHERE at >= @since");
        cmd.Parameters.AddWithValue("since", sinceMs);
        using var r = cmd.ExecuteReader();
        var list = new List<(string, string, DateTimeOffset, IReadOnlyList<Sample>)>();
        while (r.Read())
            list.Add((r.GetString(0), r.GetString(1), Time(r.GetInt64(2)), JsonSerializer.Deserialize<Sample[]>(r.GetString(3), Json) ?? []));
        return list;
    }

    /// <summary>Records that this member runs rollout <paramref name="id"/>, with what it was asked, at once.</summary>
    public void StartRollout(string id, string apply, string requestJson, bool dryRun, DateTimeOffset at)
    {
        using var cmd = _db.CreateCommand("""
            INSERT INTO rollouts(id, apply, started, status, dry_run, member, request) VALUES(@id, @a, @at, 'running', @d, @m, @r)
            ON CONFLICT(id) DO UPDATE SET member = excluded.member, request = excluded.request
            """);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("a", apply);
        cmd.Parameters.AddWithValue("at", at.ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("d", dryRun ? 1 : 0);
        cmd.Parameters.AddWithValue("m", Id);
        cmd.Parameters.AddWithValue("r", requestJson);
        cmd.ExecuteNonQuery();
    }

    /// <summary>
    /// Takes over the rollouts still running under members that are gone: each is claimed by moving it to this member
    /// (only one member's update finds the old owner), with the hosts it had already reached.
    /// </summary>
    public IReadOnlyList<(string Id, string RequestJson, bool DryRun, IReadOnlyList<string> Done)> AdoptOrphanedRollouts(DateTimeOffset now)
    {
        var orphans = new List<(string Id, string Member, string Request, bool DryRun)>();
        using (var find = _db.CreateCommand("""
            SELECT id, member, request, dry_run FROM rollouts
            WHERE status = 'running' AND member IS NOT NULL AND request IS NOT NULL
              AND member NOT IN (SELECT id FROM members WHERE last_seen >= @since)
            """))
        {
            find.Parameters.AddWithValue("since", (now - MemberTimeout).ToUnixTimeMilliseconds());
            using var r = find.ExecuteReader();
            while (r.Read())
                orphans.Add((r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt32(3) != 0));
        }
        var adopted = new List<(string, string, bool, IReadOnlyList<string>)>();
        foreach (var (id, member, request, dryRun) in orphans)
        {
            using var take = _db.CreateCommand("UPDATE rollouts SET member = @me WHERE id = @id AND member = @old");
            take.Parameters.AddWithValue("me", Id);
            take.Parameters.AddWithValue("id", id);
            take.Parameters.AddWithValue("old", member);
            if (take.ExecuteNonQuery() != 1)
                continue;
            using var done = _db.CreateCommand("SELECT DISTINCT host FROM rollout_hosts WHERE rollout_id = @id");
            done.Parameters.AddWithValue("id", id);
            using var r = done.ExecuteReader();
            var hosts = new List<string>();
            while (r.Read())
                hosts.Add(r.GetString(0));
            adopted.Add((id, request, dryRun, hosts));
        }
        return adopted;
    }

    /// <summary>Leaves an agent's answer to an apply for the member running that rollout.</summary>
    public void SaveApplyAnswer(Core.Contracts.ApplyResult answer, DateTimeOffset at)
    {
        using var cmd = _db.CreateCommand("INSERT INTO apply_answers(rollout_id, at, body) VALUES(@r, @at, @b)");
        cmd.Parameters.AddWithValue("r", answer.RolloutId);
        cmd.Parameters.AddWithValue("at", at.ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("b", System.Text.Encoding.UTF8.GetString(Core.Contracts.Envelope.Serialize(answer)));
        cmd.ExecuteNonQuery();
    }

    /// <summary>Takes (and removes) the answers other members left for <paramref name="rollouts"/>.</summary>
    public IReadOnlyList<Core.Contracts.ApplyResult> TakeApplyAnswers(IReadOnlyCollection<string> rollouts)
    {
        if (rollouts.Count == 0)
            return [];
        using var cmd = _db.CreateCommand("DELETE FROM apply_answers WHERE rollout_id = ANY(@r) RETURNING body");
        cmd.Parameters.AddWithValue("r", rollouts.ToArray());
        using var r = cmd.ExecuteReader();
        var list = new List<Core.Contracts.ApplyResult>();
        while (r.Read())
            list.Add(Core.Contracts.Envelope.Parse<Core.Contracts.ApplyResult>(System.Text.Encoding.UTF8.GetBytes(r.GetString(0))));
        return list;
    }

    /// <summary>Leader's housekeeping: claims (and answers nobody took) older than <paramref name="keep"/> go.</summary>
    public void PruneFirings(DateTimeOffset now, TimeSpan keep)
    {
        using var cmd = _db.CreateCommand("DELETE FROM firings WHERE at < @cutoff; DELETE FROM apply_answers WHERE at < @cutoff");
        cmd.Parameters.AddWithValue("cutoff", (now - keep).ToUnixTimeMilliseconds());
        cmd.ExecuteNonQuery();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var cmd = _db.CreateCommand("DELETE FROM members WHERE id = @id");
            cmd.Parameters.AddWithValue("id", Id);
            await cmd.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException)
        {
            // the store is away; the member times out instead
        }
        if (_leaderConnection is not null)
            await _leaderConnection.DisposeAsync();
        IsLeader = false;
    }

    private const string StateColumns =
        "check_name, host, status, hard_status, state_type, attempt, output, last_result, last_ok, last_change, last_hard_change, " +
        "flaps, plugin, long_output, perfdata, duration_s, stale";

    private static SharedCheck ReadState(NpgsqlDataReader r, int maxAttempts)
    {
        var record = new StateRecord(r.GetString(0), r.GetString(1), (CheckStatus)r.GetInt32(2), (CheckStatus)r.GetInt32(3), r.GetString(4),
            r.GetInt32(5), r.GetString(6), r.IsDBNull(7) ? null : Time(r.GetInt64(7)), r.IsDBNull(8) ? null : Time(r.GetInt64(8)),
            Time(r.GetInt64(9)), Time(r.GetInt64(10)));
        var state = CheckState.Restore(record, Math.Max(1, maxAttempts), FlapDetector.FromSnapshot(r.GetString(11)));
        return new SharedCheck(state, r.GetString(12), r.GetString(13),
            JsonSerializer.Deserialize<Core.Contracts.PerfDataItem[]>(r.GetString(14), Json) ?? [], r.GetDouble(15), r.GetBoolean(16));
    }

    private static Dictionary<string, object?> Facts(string json)
    {
        var facts = new Dictionary<string, object?>(StringComparer.Ordinal);
        using var doc = JsonDocument.Parse(json);
        foreach (var p in doc.RootElement.EnumerateObject())
            facts[p.Name] = p.Value.ValueKind switch
            {
                JsonValueKind.String => p.Value.GetString(),
                JsonValueKind.Number => p.Value.TryGetInt64(out var n) ? n : p.Value.GetDouble(),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Null => null,
                _ => p.Value.Clone(),
            };
        return facts;
    }

    private static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}

/// <summary>What a result carries besides its status and output.</summary>
public sealed record SharedExtras(string Plugin, string LongOutput, IReadOnlyList<Core.Contracts.PerfDataItem> PerfData, double DurationSeconds, bool Stale);
