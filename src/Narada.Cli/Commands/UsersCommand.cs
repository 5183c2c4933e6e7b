using System.CommandLine;
using Narada.Controller.Access;
using Narada.Core.Yaml;

namespace Narada.Cli.Commands;

/// <summary>
/// <c>narada users add|list|remove</c>: the users file behind <c>narada server --users</c>. A new token is printed once,
/// alone on the last line of stdout (so <c>TOKEN=$(narada users add … | tail -1)</c> works); the file keeps its hash only.
/// </summary>
internal static class UsersCommand
{
    public static Command Create()
    {
        var command = new Command("users", "Manage the users file behind `narada server --users FILE`: people and programs with roles.\n\n" +
            "Examples:\n  narada users add prometheus --role metrics --file /etc/narada/users.yaml\n" +
            "  printf '%s\\n' \"$PASSWORD\" | narada users add alice --role operator --password-stdin --file /etc/narada/users.yaml\n" +
            "  narada users list --file /etc/narada/users.yaml");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Remove());
        return command;
    }

    private static Option<string> FileOption() => new("--file", "-f") { Description = "The users file (created when missing).", Required = true };

    private static Command Add()
    {
        var name = new Argument<string>("name") { Description = "User name: letters, digits and . _ @ - (a client certificate with this CN is this user)." };
        var role = new Option<string>("--role", "-r") { Description = $"One of {string.Join(", ", Roles.Names)}.", Required = true };
        role.AcceptOnlyFromAmong([.. Roles.Names]);
        var file = FileOption();
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Also set the dashboard login password, read from the first line of stdin." };
        var command = new Command("add", "Add a user (or a token to an existing one) and print the new token once, on the last line of stdout.")
        {
            name, role, file, passwordStdin,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            if (Load(path, "add") is not { } users)
                return 1;
            Roles.TryParse(parse.GetValue(role)!, out var wanted);
            var userName = parse.GetValue(name)!;
            var existing = users.Find(userName);
            if (existing is not null && existing.Role != wanted)
                return Fail("add", $"{userName} is already {Roles.Name(existing.Role)} in {path}; give --role {Roles.Name(existing.Role)} to add a token, or remove the user first");
            string? password = null;
            if (parse.GetValue(passwordStdin))
            {
                password = Console.In.ReadLine();
                if (string.IsNullOrEmpty(password) || password.Length < 8)
                    return Fail("add", "--password-stdin: the first line of stdin must hold a password of at least 8 characters");
            }
            var (token, entry) = UsersFile.NewToken(DateTimeOffset.UtcNow);
            var user = (existing ?? new UserEntry(userName, wanted)) with
            {
                Tokens = [.. existing?.Tokens ?? [], entry],
                PasswordHash = password is null ? existing?.PasswordHash : SecretHash.Hash(password),
            };
            try
            {
                Save(path, users.With(user));
                // Checked by reading it back, as the controller will.
                UsersFile.Read(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or YamlFileException or ArgumentException)
            {
                return Fail("add", e.Message);
            }
            Console.Error.WriteLine($"{(existing is null ? "added" : "new token for")} {userName} ({Roles.Name(wanted)}), token id {entry.Id}, in {path}; " +
                "reload the controller (SIGHUP) to take it in. The token is shown only now:");
            Console.Out.WriteLine(token);
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var file = FileOption();
        var command = new Command("list", "Show the users, their roles and token ids (never secrets).") { file };
        command.SetAction(parse =>
        {
            if (Load(parse.GetValue(file)!, "list") is not { } users)
                return 1;
            foreach (var user in users.Users)
                Console.Out.WriteLine($"{user.Name}\t{Roles.Name(user.Role)}\t{(user.PasswordHash is null ? "no password" : "password")}\t" +
                    $"tokens: {(user.Tokens.Count == 0 ? "none" : string.Join(",", user.Tokens.Select(t => t.Id)))}");
            return 0;
        });
        return command;
    }

    private static Command Remove()
    {
        var name = new Argument<string>("name") { Description = "The user to remove, with every token." };
        var file = FileOption();
        var command = new Command("remove", "Remove a user; once the controller reloads, their tokens and sessions stop working.") { name, file };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            if (Load(path, "remove") is not { } users)
                return 1;
            var userName = parse.GetValue(name)!;
            if (users.Find(userName) is null)
                return Fail("remove", $"no user {userName} in {path}");
            try
            {
                Save(path, users.Without(userName));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Fail("remove", e.Message);
            }
            Console.Error.WriteLine($"removed {userName} from {path}; reload the controller (SIGHUP) to take it in");
            return 0;
        });
        return command;
    }

    private static UsersFile? Load(string path, string verb)
    {
        if (!File.Exists(path))
            return UsersFile.Empty;
        try
        {
            return UsersFile.Read(path);
        }
        catch (YamlFileException e)
        {
            Console.Error.WriteLine($"narada users {verb}: {path} has problems (nothing changed):\n  {string.Join("\n  ", e.Errors)}");
            return null;
        }
    }

    /// <summary>Writes the whole file to a temporary one beside it (owner-only: it holds hashes), then renames it over
    /// the old one, so a reader sees the old file or the new one, never half of one.</summary>
    private static void Save(string path, UsersFile users)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using (var stream = new FileStream(temporary, options))
            using (var writer = new StreamWriter(stream))
                writer.Write(users.Write());
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static int Fail(string verb, string message)
    {
        Console.Error.WriteLine($"narada users {verb}: {message}");
        return 1;
    }
}
