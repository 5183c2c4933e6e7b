using Narada.Testing;

namespace Narada.Cli.Tests.Verbs;

/// <summary><c>narada users</c> writes the users file; <c>narada server --users</c> serves only those users, and the CLI
/// verbs that talk to it carry a token from --token or NARADA_TOKEN.</summary>
[Trait("Category", "Peers")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class UsersVerbTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("narada-users-verb-").FullName;

    private string UsersFile => Path.Combine(_dir, "etc", "users.yaml");

    private async Task<string> AddAsync(string name, string role, string? password = null)
    {
        var args = new List<string> { "users", "add", name, "--role", role, "--file", UsersFile };
        if (password is not null)
            args.Add("--password-stdin");
        var added = await NaradaCli.RunAsync(args, stdin: password is null ? null : password + "\n");
        Assert.True(added.ExitCode == 0, added.ToString());
        var lines = added.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines); // the token alone, on the last (only) line of stdout
        Assert.StartsWith("narada_", lines[0]);
        return lines[0];
    }

    [Fact]
    public async Task Users_add_prints_a_token_once_and_keeps_only_hashes_in_an_owner_only_file()
    {
        var token = await AddAsync("alice", "operator", password: "long enough password");
        var second = await AddAsync("alice", "operator");

        var text = await File.ReadAllTextAsync(UsersFile);
        Assert.DoesNotContain(token, text);
        Assert.DoesNotContain(second, text);
        Assert.DoesNotContain("long enough password", text);
        Assert.Equal(3, text.Split("pbkdf2-sha256$").Length - 1); // a password and two tokens
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(UsersFile));

        var otherRole = await NaradaCli.RunAsync(["users", "add", "alice", "--role", "admin", "--file", UsersFile]);
        Assert.Equal(1, otherRole.ExitCode);
        Assert.Contains("alice is already operator", otherRole.Stderr);
        var badRole = await NaradaCli.RunAsync(["users", "add", "bob", "--role", "root", "--file", UsersFile]);
        Assert.NotEqual(0, badRole.ExitCode);
        Assert.Contains("root", badRole.Stderr);

        var listed = await NaradaCli.RunAsync(["users", "list", "--file", UsersFile]);
        Assert.Contains("alice\toperator\tpassword\ttokens: ", listed.Stdout);
        Assert.DoesNotContain("pbkdf2", listed.Stdout);
    }

    [Fact]
    public async Task A_server_with_users_serves_the_cli_with_a_token_only_and_a_reload_takes_a_removed_user_away()
    {
        var viewer = await AddAsync("watcher", "viewer");
        var operatorToken = await AddAsync("oncall", "operator");
        int http = FreePort.Next();
        var url = $"http://127.0.0.1:{http}/";
        await using var server = await NaradaCli.StartListeningAsync(["server", "--port", FreePort.Next().ToString(), "--http", $"127.0.0.1:{http}",
            "--data", Path.Combine(_dir, "data"), "--users", UsersFile], http, RepoPaths.Root);
        await server.WaitForStdoutAsync("HTTP access: users from");

        var anonymous = await NaradaCli.RunAsync(["status", "--url", url]);
        Assert.Equal(3, anonymous.ExitCode);
        Assert.Contains("narada status: the controller refused: sign in", anonymous.Stderr);
        var withToken = await NaradaCli.RunAsync(["status", "--url", url, "--token", viewer]);
        Assert.True(withToken.ExitCode is 0 or 1, withToken.ToString());
        Assert.Contains("host", withToken.Stdout);

        var asViewer = await NaradaCli.RunAsync(["silence", "add", "--host", "web01", "--for", "1h", "--reason", "x", "--url", url],
            environment: new Dictionary<string, string> { ["NARADA_TOKEN"] = viewer });
        Assert.Equal(2, asViewer.ExitCode);
        Assert.Contains("the controller refused: watcher is a viewer; this needs operator or above", asViewer.Stderr);
        var asOperator = await NaradaCli.RunAsync(["silence", "add", "--host", "web01", "--for", "1h", "--reason", "x", "--url", url],
            environment: new Dictionary<string, string> { ["NARADA_TOKEN"] = operatorToken });
        Assert.True(asOperator.ExitCode == 0, asOperator.ToString());
        var apply = await NaradaCli.RunAsync(["apply", "motd", "--dry-run", "--url", url, "--token", operatorToken]);
        Assert.Equal(2, apply.ExitCode);
        Assert.Contains("oncall is an operator; this needs admin or above", apply.Stderr);

        Assert.Equal(0, (await NaradaCli.RunAsync(["users", "remove", "watcher", "--file", UsersFile])).ExitCode);
        _ = await ExternalProcess.RunAsync("/bin/kill", ["-HUP", server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await server.WaitForStdoutAsync("SIGHUP: reloaded");
        var removed = await NaradaCli.RunAsync(["status", "--url", url, "--token", viewer]);
        Assert.Equal(3, removed.ExitCode);
        Assert.Contains("the bearer token is not valid", removed.Stderr);
        await NaradaCli.InterruptAsync(server);
    }

    [Fact]
    public async Task A_server_refuses_to_start_with_a_broken_users_file_and_says_where()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(UsersFile)!);
        await File.WriteAllTextAsync(UsersFile, "users:\n  alice:\n    role: admn\n");
        var started = await NaradaCli.RunAsync(["server", "--port", FreePort.Next().ToString(), "--http", $"127.0.0.1:{FreePort.Next()}",
            "--data", Path.Combine(_dir, "data"), "--users", UsersFile], workingDirectory: RepoPaths.Root, timeout: TimeSpan.FromSeconds(60));
        Assert.NotEqual(0, started.ExitCode);
        Assert.Contains($"{UsersFile}:3:11", started.Stderr);
        Assert.Contains("did you mean 'admin'", started.Stderr);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
