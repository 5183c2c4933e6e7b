using Narada.Controller.Store;
using Npgsql;

namespace Narada.Controller.Tests.Store;

public class StoreLocationTests
{
    [Fact]
    public void A_sqlite_location_is_its_file()
    {
        var location = StoreLocation.Parse("sqlite:/var/lib/narada/controller.db");
        Assert.Equal((StoreKind.Sqlite, "/var/lib/narada/controller.db"), (location.Kind, location.Target));
    }

    [Fact]
    public void A_postgresql_url_becomes_an_npgsql_connection_with_libpq_parameter_names()
    {
        var location = StoreLocation.Parse("postgresql://narada:p%40ss@db1.example:6543/fleet?sslmode=require&application_name=ctl");
        var connection = new NpgsqlConnectionStringBuilder(location.Target);
        Assert.Equal(StoreKind.Postgres, location.Kind);
        Assert.Equal(("db1.example", 6543, "fleet", "narada", "p@ss"), (connection.Host, connection.Port, connection.Database, connection.Username, connection.Password));
        Assert.Equal(SslMode.Require, connection.SslMode);
        Assert.Equal("ctl", connection.ApplicationName);
        // What is printed (the start log, /api/cluster) never carries the password.
        Assert.Equal("postgresql://narada@db1.example:6543/fleet", location.Describe());
    }

    [Fact]
    public void A_url_without_password_port_or_database_takes_the_defaults()
    {
        var connection = new NpgsqlConnectionStringBuilder(StoreLocation.Parse("postgres://narada@db1").Target);
        Assert.Equal((5432, "narada", null), (connection.Port, connection.Database, connection.Password));
    }

    [Fact]
    public void An_npgsql_keyword_string_is_taken_as_it_is()
    {
        var connection = new NpgsqlConnectionStringBuilder(StoreLocation.Parse("Host=10.0.0.5;Database=narada;Username=ctl").Target);
        Assert.Equal(("10.0.0.5", "narada", "ctl"), (connection.Host, connection.Database, connection.Username));
    }

    [Theory]
    [InlineData("mysql://db1/narada", "is not a store")]
    [InlineData("sqlite:", "needs a file path")]
    [InlineData("Database=narada", "names no Host")]
    [InlineData("Host=db1;Bogus=1", "not an Npgsql connection string")]
    [InlineData("postgresql://db1/narada?frobnicate=1", "unknown parameter 'frobnicate'")]
    public void Anything_else_is_refused_saying_what_is_taken(string text, string message)
    {
        var error = Assert.Throws<FormatException>(() => StoreLocation.Parse(text));
        Assert.Contains(message, error.Message);
    }
}
