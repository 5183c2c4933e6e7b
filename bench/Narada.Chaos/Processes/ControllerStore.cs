using Microsoft.Data.Sqlite;

namespace Narada.Chaos.Processes;

/// <summary>The controller's SQLite store read from outside (read-only): what its history says it recorded.</summary>
public static class ControllerStore
{
    /// <summary>The output of every result in the history table, with how many results carry it.</summary>
    public static Dictionary<string, int> ResultOutputs(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, "controller.db");
        var outputs = new Dictionary<string, int>(StringComparer.Ordinal);
        if (!File.Exists(path))
            return outputs;
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT output FROM results";
        using var r = cmd.ExecuteReader();
        while (r.Read())
            outputs[r.GetString(0)] = outputs.GetValueOrDefault(r.GetString(0)) + 1;
        return outputs;
    }

    /// <summary>How many results of <paramref name="check"/> the history holds.</summary>
    public static long ResultCount(string dataDirectory, string check)
    {
        var path = Path.Combine(dataDirectory, "controller.db");
        if (!File.Exists(path))
            return 0;
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM results WHERE check_name = $check";
        cmd.Parameters.AddWithValue("$check", check);
        return (long)cmd.ExecuteScalar()!;
    }
}
