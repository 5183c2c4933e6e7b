using Narada.Controller.Store;
using Narada.Testing;
using Npgsql;

namespace Narada.Controller.Tests.Store;

[Trait("Category", "Peers")]
public class SchemaTests
{
    [Fact]
    public async Task Members_migrating_an_empty_database_at_once_apply_each_migration_exactly_once()
    {
        var database = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        using var go = new ManualResetEventSlim();
        var members = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            using var db = new NpgsqlConnection(database);
            db.Open();
            go.Wait();
            return Schema.Migrate(db, StoreKind.Postgres);
        })).ToArray();
        go.Set();
        var applied = await Task.WhenAll(members);

        // One member applied them all; the others found the work done instead of failing on "already exists".
        Assert.Equal(Enumerable.Range(1, Schema.Latest(StoreKind.Postgres)), applied.SelectMany(a => a).Order());
        await using var check = new NpgsqlConnection(database);
        await check.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM schema_version", check);
        Assert.Equal((long)Schema.Latest(StoreKind.Postgres), (long)(await cmd.ExecuteScalarAsync())!);
    }
}
