using Narada.Controller.Handlers;
using Narada.Core.Formats;

namespace Narada.Controller.History;

/// <summary>The on-call side of the store: acknowledgements, written at once like silences (an operator's word must
/// survive a crash and reach every member of a cluster).</summary>
public sealed partial class HistoryStore
{
    public void SaveAck(Acknowledgement ack)
    {
        using var db = Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = """
            INSERT INTO acks(check_name, host, author, comment, sticky, at, status) VALUES(@c,@h,@a,@m,@s,@at,@st)
            ON CONFLICT(check_name, host) DO UPDATE SET author = excluded.author, comment = excluded.comment,
                sticky = excluded.sticky, at = excluded.at, status = excluded.status
            """;
        Bind(cmd, ("@c", ack.Check), ("@h", ack.Host), ("@a", ack.Author), ("@m", ack.Comment), ("@s", ack.Sticky ? 1 : 0),
            ("@at", ack.At.ToUnixTimeMilliseconds()), ("@st", (int)ack.Status));
        cmd.ExecuteNonQuery();
    }

    public void RemoveAck(string check, string host)
    {
        using var db = Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "DELETE FROM acks WHERE check_name = @c AND host = @h";
        Bind(cmd, ("@c", check), ("@h", host));
        cmd.ExecuteNonQuery();
    }

    public IReadOnlyList<Acknowledgement> LoadAcks()
    {
        using var db = Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT check_name, host, author, comment, sticky, at, status FROM acks";
        using var r = cmd.ExecuteReader();
        var list = new List<Acknowledgement>();
        while (r.Read())
            list.Add(new Acknowledgement(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4) != 0,
                Time(r, 5)!.Value, (CheckStatus)r.GetInt32(6)));
        return list;
    }
}
