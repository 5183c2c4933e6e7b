using Narada.Controller.Access;

namespace Narada.Controller.Tests.Access;

/// <summary>A users file with one user per role (named after it, password <c>ROLE-password</c>) and their tokens.</summary>
internal sealed class TestUsers
{
    private TestUsers(string path, IReadOnlyDictionary<Role, string> tokens)
    {
        Path = path;
        Tokens = tokens;
    }

    public string Path { get; }

    public IReadOnlyDictionary<Role, string> Tokens { get; }

    public static string Password(Role role) => $"{Roles.Name(role)}-password";

    public static TestUsers Write(string directory)
    {
        var tokens = new Dictionary<Role, string>();
        var file = UsersFile.Empty;
        foreach (var role in Enum.GetValues<Role>())
        {
            var (token, entry) = UsersFile.NewToken(DateTimeOffset.UtcNow);
            tokens[role] = token;
            file = file.With(new UserEntry(Roles.Name(role), role) { Tokens = [entry], PasswordHash = SecretHash.Hash(Password(role)) });
        }
        var path = System.IO.Path.Combine(directory, "users.yaml");
        File.WriteAllText(path, file.Write());
        return new TestUsers(path, tokens);
    }
}
