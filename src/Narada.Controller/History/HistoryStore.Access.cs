namespace Narada.Controller.History;

/// <summary>The access side of the store: dashboard sessions (shared by a cluster's members, so a login on one is a
/// login on all) and the audit trail. Both are written at once, not through the write queue: a login must be there for
/// the next request, which may reach another member, and an audit entry must survive a crash.</summary>
public sealed partial class HistoryStore
{
    /// <summary>How long audit entries are kept: far longer than results, it is what someone asks about months later.</summary>
    public static readonly TimeSpan AuditRetention = TimeSpan.FromDays(400);

    public void StartSession(SessionRecord session)
    {
        using var db = Open();
        using (var prune = db.CreateCommand())
        {
            prune.CommandText = "DELETE FROM sessions WHERE expires <= @now";
            Param(prune, "@now", session.Created.ToUnixTimeMilliseconds());
            prune.ExecuteNonQuery();
        }
        using var cmd = db.CreateCommand();
        cmd.CommandText = "INSERT INTO sessions(key, user_name, form_token, created, expires, address) VALUES(@k,@u,@f,@c,@e,@a)";
        Bind(cmd, ("@k", session.Key), ("@u", session.User), ("@f", session.FormToken), ("@c", session.Created.ToUnixTimeMilliseconds()),
            ("@e", session.Expires.ToUnixTimeMilliseconds()), ("@a", session.Address));
        cmd.ExecuteNonQuery();
    }

    /// <summary>The session stored under <paramref name="key"/> if it has not expired by <paramref name="now"/>.</summary>
    public SessionRecord? FindSession(string key, DateTimeOffset now)
    {
        using var db = Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT user_name, form_token, created, expires, address FROM sessions WHERE key = @k AND expires > @now";
        Bind(cmd, ("@k", key), ("@now", now.ToUnixTimeMilliseconds()));
        using var r = cmd.ExecuteReader();
        return r.Read() ? new SessionRecord(key, r.GetString(0), r.GetString(1), Time(r, 2)!.Value, Time(r, 3)!.Value, r.GetString(4)) : null;
    }

    public void EndSession(string key)
    {
        using var db = Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "DELETE FROM sessions WHERE key = @k";
        Param(cmd, "@k", key);
        cmd.ExecuteNonQuery();
    }

    /// <summary>Ends every session of <paramref name="user"/> (removed from the users file, or logged out everywhere).</summary>
    public int EndSessionsOf(string user)
    {
        using var db = Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "DELETE FROM sessions WHERE user_name = @u";
        Param(cmd, "@u", user);
        return cmd.ExecuteNonQuery();
    }

    public void Audit(AuditRecord entry)
    {
        using var db = Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "INSERT INTO audit(at, actor, action, target, detail, address) VALUES(@at,@who,@what,@target,@detail,@addr)";
        Bind(cmd, ("@at", entry.At.ToUnixTimeMilliseconds()), ("@who", entry.Actor), ("@what", entry.Action), ("@target", entry.Target),
            ("@detail", entry.Detail), ("@addr", entry.Address));
        cmd.ExecuteNonQuery();
    }

    /// <summary>The latest audit entries, newest first; <paramref name="actor"/> and <paramref name="action"/> narrow
    /// them (an action given as <c>login</c> also matches <c>login.failed</c>).</summary>
    public IReadOnlyList<AuditRecord> RecentAudit(int limit, string? actor = null, string? action = null)
    {
        using var db = Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = """
            SELECT at, actor, action, target, detail, address FROM audit
            WHERE (CAST(@who AS TEXT) IS NULL OR actor = @who OR actor LIKE @who || ' (token %')
              AND (CAST(@what AS TEXT) IS NULL OR action = @what OR action LIKE @what || '.%')
            ORDER BY id DESC LIMIT @limit
            """;
        Bind(cmd, ("@who", actor), ("@what", action), ("@limit", limit));
        using var r = cmd.ExecuteReader();
        var list = new List<AuditRecord>();
        while (r.Read())
            list.Add(new AuditRecord(Time(r, 0)!.Value, r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5)));
        return list;
    }
}
