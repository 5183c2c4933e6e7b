using Narada.Controller.Access;
using Narada.Core.Yaml;

namespace Narada.Controller.Tests.Access;

public sealed class UsersFileTests
{
    [Fact]
    public void A_written_file_reads_back_with_every_user_role_secret_and_certificate_name()
    {
        var (token, entry) = UsersFile.NewToken(new DateTimeOffset(2026, 12, 8, 1, 30, 0, TimeSpan.Zero));
        var file = UsersFile.Empty
            .With(new UserEntry("alice", Role.Operator) { PasswordHash = SecretHash.Hash("correct horse"), Tokens = [entry], Certificate = "alice.ops" })
            .With(new UserEntry("prometheus", Role.Metrics));

        var read = UsersFile.Parse(file.Write(), "users.yaml");

        Assert.Equal(["alice", "prometheus"], read.Users.Select(u => u.Name));
        var alice = read.Find("alice")!;
        Assert.Equal(Role.Operator, alice.Role);
        Assert.Equal("alice.ops", alice.Certificate);
        Assert.True(SecretHash.Verify("correct horse", alice.PasswordHash!));
        Assert.False(SecretHash.Verify("correct horsf", alice.PasswordHash!));
        var stored = Assert.Single(alice.Tokens);
        Assert.Equal(entry.Id, stored.Id);
        Assert.Equal(entry.Created, stored.Created);
        Assert.True(SecretHash.Verify(token, stored.Hash));
        Assert.DoesNotContain(token, file.Write(), StringComparison.Ordinal);
        Assert.Equal(entry.Id, UsersFile.TokenIdOf(token));
    }

    [Fact]
    public void Every_problem_is_reported_with_its_position_and_the_nearest_valid_name()
    {
        var e = Assert.Throws<YamlFileException>(() => UsersFile.Parse("""
            users:
              alice:
                role: operater
                pasword: x
              bob:
                role: admin
                password: plain-text-is-refused
              "not a name":
                role: viewer
            """, "users.yaml"));

        var errors = e.Errors.Select(x => x.ToString()).ToArray();
        Assert.Contains(errors, x => x.StartsWith("users.yaml:3:11", StringComparison.Ordinal) && x.Contains("unknown role 'operater'") && x.Contains("did you mean 'operator'"));
        Assert.Contains(errors, x => x.StartsWith("users.yaml:4:5", StringComparison.Ordinal) && x.Contains("did you mean 'password'"));
        Assert.Contains(errors, x => x.StartsWith("users.yaml:7:15", StringComparison.Ordinal) && x.Contains("pbkdf2-sha256$ITERATIONS$SALT$HASH"));
        Assert.Contains(errors, x => x.StartsWith("users.yaml:8:3", StringComparison.Ordinal) && x.Contains("a user name is"));
    }

    [Theory]
    [InlineData("narada_0123456789ab_secret", "0123456789ab")]
    [InlineData("narada_0123456789AB_secret", null)]
    [InlineData("narada_0123456789a_secret", null)]
    [InlineData("github_0123456789ab_secret", null)]
    [InlineData("", null)]
    public void Only_a_narada_token_names_a_token_id(string token, string? id) => Assert.Equal(id, UsersFile.TokenIdOf(token));

    [Fact]
    public void A_hash_with_too_few_iterations_or_a_foreign_scheme_is_refused()
    {
        Assert.NotNull(SecretHash.Problem("pbkdf2-sha256$1000$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA=="));
        Assert.NotNull(SecretHash.Problem("bcrypt$12$abc$def"));
        Assert.Null(SecretHash.Problem(SecretHash.Hash("x")));
        Assert.False(SecretHash.Verify("x", "bcrypt$12$abc$def"));
    }

    [Fact]
    public void A_user_directory_recognises_tokens_passwords_and_certificates_and_a_failed_reload_keeps_the_users_in_force()
    {
        var dir = Directory.CreateTempSubdirectory("narada-users-").FullName;
        try
        {
            var users = TestUsers.Write(dir);
            var directory = new UserDirectory(users.Path);

            Assert.Equal("operator", directory.ByToken(users.Tokens[Role.Operator])!.Value.User.Name);
            Assert.Null(directory.ByKnownToken(users.Tokens[Role.Viewer])); // never verified yet
            Assert.Equal("viewer", directory.ByToken(users.Tokens[Role.Viewer])!.Value.User.Name);
            Assert.Equal("viewer", directory.ByKnownToken(users.Tokens[Role.Viewer])!.Value.User.Name);
            Assert.Null(directory.ByToken(users.Tokens[Role.Viewer][..^1] + "x"));
            Assert.Equal("admin", directory.ByPassword("admin", TestUsers.Password(Role.Admin))!.Name);
            Assert.Equal("admin", directory.ByPassword("admin", users.Tokens[Role.Admin])!.Name);
            Assert.Null(directory.ByPassword("admin", TestUsers.Password(Role.Viewer)));
            Assert.Null(directory.ByPassword("admin", users.Tokens[Role.Viewer]));
            Assert.Null(directory.ByPassword("nobody", "anything"));
            Assert.Equal("metrics", directory.ByCertificate("METRICS")!.Name);

            File.WriteAllText(users.Path, "users:\n  viewer:\n    role: nobody\n");
            var errors = directory.Reload();
            Assert.Contains(errors, x => x.ToString().Contains("unknown role 'nobody'", StringComparison.Ordinal));
            Assert.Equal(4, directory.Current.Users.Count);
            Assert.NotNull(directory.ByToken(users.Tokens[Role.Viewer]));

            File.WriteAllText(users.Path, "users: {}\n");
            Assert.Empty(directory.Reload());
            Assert.Null(directory.ByKnownToken(users.Tokens[Role.Viewer]));
            Assert.Null(directory.ByToken(users.Tokens[Role.Viewer]));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
