using Npgsql;

namespace Narada.Testing;

/// <summary>
/// A real PostgreSQL from Debian's <c>postgresql</c> package: <c>initdb</c> in a temporary directory, served on a free
/// loopback port by <c>pg_ctl</c>, as the <c>postgres</c> user when the tests run as root (initdb refuses root).
/// Trust authentication on loopback for the user <c>narada</c>, plus <see cref="PasswordUser"/> with a password.
/// Each test takes a database of its own from <see cref="CreateDatabaseAsync"/>. Missing binaries fail loudly.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string PasswordUser = "secretive";
    public const string Password = "s3cret-pw";

    private static readonly SemaphoreSlim SharedGate = new(1, 1);
    private static PostgresServer? _shared;
    private readonly string _bin;
    private readonly string _dataDirectory;
    private int _databases;

    private PostgresServer(string bin, string dataDirectory, int port)
    {
        _bin = bin;
        _dataDirectory = dataDirectory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The server's administrative connection (database <c>postgres</c>).</summary>
    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=narada;Database=postgres;Pooling=false";

    /// <summary>One server for the whole test run (started on first use, stopped when the process exits).</summary>
    public static async Task<PostgresServer> SharedAsync()
    {
        await SharedGate.WaitAsync();
        try
        {
            if (_shared is null)
            {
                var server = await StartAsync();
                AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
                _shared = server;
            }
            return _shared;
        }
        finally
        {
            SharedGate.Release();
        }
    }

    /// <summary>Starts a server of its own (for tests that stop or restart it).</summary>
    public static async Task<PostgresServer> StartAsync()
    {
        var bin = FindBin();
        var dir = Directory.CreateTempSubdirectory("narada-pg-").FullName;
        var data = Path.Combine(dir, "data");
        var asRoot = Environment.UserName == "root";
        if (asRoot)
            await RunAsync(RequiredTool.Path("chown", "coreutils"), ["postgres:postgres", dir], dir);
        var server = new PostgresServer(bin, data, FreePort.Next());
        await server.RunPgAsync("initdb", ["-D", data, "-U", "narada", "--auth=trust", "-E", "UTF8", "--no-sync"]);
        await File.AppendAllTextAsync(Path.Combine(data, "postgresql.conf"),
            $"\nlisten_addresses = '127.0.0.1'\nport = {server.Port}\nunix_socket_directories = '{dir}'\nfsync = off\n" +
            // fsync off spares the disk; commits still reach the WAL before they are acknowledged, so a stop
            // with -m immediate (a crash, for the server) loses nothing acknowledged.
            "full_page_writes = off\nmax_connections = 300\n");
        // The password user authenticates with SCRAM, so a test can prove PGPASSWORD and a password file work.
        var hba = Path.Combine(data, "pg_hba.conf");
        await File.WriteAllTextAsync(hba, $"host all {PasswordUser} 127.0.0.1/32 scram-sha-256\n" + await File.ReadAllTextAsync(hba));
        await server.StartServerAsync();
        await using var db = new NpgsqlConnection(server.AdminConnectionString);
        await db.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE ROLE {PasswordUser} LOGIN SUPERUSER PASSWORD '{Password}'", db);
        await cmd.ExecuteNonQueryAsync();
        return server;
    }

    /// <summary>A new, empty database; returns its Npgsql connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"narada_test_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}";
        await using var db = new NpgsqlConnection(AdminConnectionString);
        await db.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", db);
        await cmd.ExecuteNonQueryAsync();
        return $"Host=127.0.0.1;Port={Port};Username=narada;Database={name}";
    }

    /// <summary>Stops the server at once (as a crash would), keeping its data.</summary>
    public Task StopAsync() => RunPgAsync("pg_ctl", ["-D", _dataDirectory, "-m", "immediate", "-w", "stop"]);

    /// <summary>Starts it again on the same port and data.</summary>
    public Task StartServerAsync() =>
        RunPgAsync("pg_ctl", ["-D", _dataDirectory, "-l", Path.Combine(Path.GetDirectoryName(_dataDirectory)!, "server.log"), "-w", "-t", "60", "start"]);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (InvalidOperationException)
        {
            // already stopped
        }
        try
        {
            Directory.Delete(Path.GetDirectoryName(_dataDirectory)!, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string FindBin()
    {
        var versions = Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql") : [];
        var bin = versions.Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb")))
            .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var n) ? n : 0).FirstOrDefault();
        return bin ?? throw new InvalidOperationException(
            "PostgreSQL is required by this test but is not installed: apt-get install postgresql (bash .ci/run installs it)");
    }

    private Task RunPgAsync(string tool, string[] args)
    {
        var path = Path.Combine(_bin, tool);
        return Environment.UserName == "root"
            ? RunAsync(RequiredTool.Path("runuser", "util-linux"), ["-u", "postgres", "--", path, .. args], Path.GetDirectoryName(_dataDirectory)!)
            : RunAsync(path, args, Path.GetDirectoryName(_dataDirectory)!);
    }

    private static async Task RunAsync(string file, string[] args, string workingDirectory)
    {
        var result = await ExternalProcess.RunAsync(file, args, timeout: TimeSpan.FromSeconds(90), workingDirectory: workingDirectory);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', args)} failed: {result}");
    }
}
