using Npgsql;

namespace Narada.Controller.Store;

/// <summary>The two stores a controller keeps its state in.</summary>
public enum StoreKind
{
    /// <summary>One file, one controller: the embedded default.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database shared by every member of a cluster.</summary>
    Postgres,
}

/// <summary>
/// Where the controller's state lives, as <c>--store</c> names it: <c>sqlite:PATH</c>, a
/// <c>postgresql://user@host:port/db?sslmode=...</c> URL, or an Npgsql keyword string (<c>Host=...;Database=...</c>).
/// A password may be in the URL, but need not be: Npgsql reads <c>PGPASSWORD</c> and a password file
/// (<c>PGPASSFILE</c>, <c>~/.pgpass</c>, or <c>Passfile=</c>) as libpq does.
/// </summary>
public sealed record StoreLocation(StoreKind Kind, string Target)
{
    /// <summary>The SQLite file (for <see cref="StoreKind.Sqlite"/>) or the Npgsql connection string.</summary>
    public string Target { get; } = Target;

    public static StoreLocation Sqlite(string path) => new(StoreKind.Sqlite, path);

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> saying what forms are taken.</summary>
    public static StoreLocation Parse(string text)
    {
        if (text.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            var path = text["sqlite:".Length..];
            return path.Length > 0 ? Sqlite(path) : throw new FormatException("sqlite: needs a file path, e.g. sqlite:/var/lib/narada/controller.db");
        }
        if (text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase))
            return new StoreLocation(StoreKind.Postgres, FromUrl(text));
        if (text.Contains('='))
        {
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(text);
                if (string.IsNullOrEmpty(builder.Host))
                    throw new FormatException("the connection string names no Host");
                return new StoreLocation(StoreKind.Postgres, builder.ConnectionString);
            }
            catch (ArgumentException e)
            {
                throw new FormatException($"not an Npgsql connection string: {e.Message}", e);
            }
        }
        throw new FormatException($"'{text}' is not a store: use sqlite:PATH, postgresql://user@host:port/database, or Host=...;Database=...");
    }

    /// <summary>Safe to print: the connection without its password.</summary>
    public string Describe()
    {
        if (Kind == StoreKind.Sqlite)
            return $"sqlite:{Target}";
        var builder = new NpgsqlConnectionStringBuilder(Target);
        return $"postgresql://{builder.Username}@{builder.Host}:{builder.Port}/{builder.Database}";
    }

    private static string FromUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Host.Length == 0)
            throw new FormatException($"'{Redact(text)}' is not a postgresql:// URL (postgresql://user@host:port/database)");
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = url.Host.Trim('[', ']'),
            Port = url.IsDefaultPort || url.Port <= 0 ? 5432 : url.Port,
            Database = Uri.UnescapeDataString(url.AbsolutePath.TrimStart('/')) is { Length: > 0 } db ? db : "narada",
        };
        if (url.UserInfo.Length > 0)
        {
            var colon = url.UserInfo.IndexOf(':');
            builder.Username = Uri.UnescapeDataString(colon < 0 ? url.UserInfo : url.UserInfo[..colon]);
            if (colon >= 0)
                builder.Password = Uri.UnescapeDataString(url.UserInfo[(colon + 1)..]);
        }
        foreach (var pair in url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            try
            {
                // libpq's names where they differ from Npgsql's
                builder[key switch { "sslmode" => "SSL Mode", "application_name" => "Application Name", "connect_timeout" => "Timeout", _ => key }] = value;
            }
            catch (ArgumentException e)
            {
                throw new FormatException($"postgresql URL: unknown parameter '{key}': {e.Message}", e);
            }
        }
        return builder.ConnectionString;
    }

    private static string Redact(string url)
    {
        var at = url.IndexOf('@');
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        return at > scheme && scheme > 0 ? url[..(scheme + 3)] + "***" + url[at..] : url;
    }
}
