using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Narada.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace Narada.Controller.Access;

/// <summary>One API token of a user: its public id (in the token, in the audit trail) and the hash of the whole token.</summary>
public sealed record TokenEntry(string Id, string Hash, DateTimeOffset? Created);

/// <summary>A person or program the controller knows, with what it may do and the hashes of its secrets.</summary>
public sealed record UserEntry(string Name, Role Role)
{
    /// <summary>PBKDF2 hash of the password the dashboard's login page takes; null: this user logs in with a token.</summary>
    public string? PasswordHash { get; init; }

    public IReadOnlyList<TokenEntry> Tokens { get; init; } = [];

    /// <summary>The CN of a client certificate that is this user (from the --http-client-ca CA); default: the name.</summary>
    public string? Certificate { get; init; }
}

/// <summary>
/// The users file behind <c>narada server --users FILE</c>:
/// <code>
/// users:
///   alice:
///     role: admin                  # metrics, viewer, operator or admin
///     password: pbkdf2-sha256$...  # optional: for the dashboard's login page
///     certificate: alice.ops       # optional: a client certificate with this CN is alice (default: the name)
///     tokens:
///       - id: 1f0c9a77d2e4
///         hash: pbkdf2-sha256$...
///         created: 2026-12-08T01:30:00Z
/// </code>
/// Only hashes are stored; <c>narada users add</c> writes them. Every problem is reported with its position.
/// </summary>
public sealed partial record UsersFile(IReadOnlyList<UserEntry> Users)
{
    private const string TokenPrefix = "narada_";

    public static UsersFile Empty { get; } = new([]);

    /// <summary>Reads <paramref name="path"/>; throws <see cref="YamlFileException"/> with every problem in it.</summary>
    public static UsersFile Read(string path)
    {
        var (source, root) = YamlSource.LoadFile(path);
        return Parse(source, root);
    }

    public static UsersFile Parse(string yaml, string origin)
    {
        var (source, root) = YamlSource.Parse(yaml, origin);
        return Parse(source, root);
    }

    private static UsersFile Parse(YamlSource source, YamlNode? root)
    {
        var users = new List<UserEntry>();
        var certificates = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (root is not null && !YamlText.IsNull(root) && MappingReader.For(root, "", source) is { } top)
        {
            var list = top.Value("users") is { } node && !YamlText.IsNull(node) ? MappingReader.For(node, "users", source) : null;
            foreach (var (name, key, value, path) in list?.Entries() ?? [])
            {
                if (!ValidName().IsMatch(name))
                    source.Error(key, path, "a user name is 1-64 letters, digits and . _ @ -");
                if (MappingReader.For(value, path, source) is not { } user || ParseUser(name, user) is not { } entry)
                    continue;
                var certificate = entry.Certificate ?? entry.Name;
                if (certificates.TryGetValue(certificate, out var other))
                    source.Error(key, path, $"certificate name '{certificate}' is already {other}'s");
                certificates[certificate] = name;
                users.Add(entry);
            }
            top.RejectUnknownKeys("a users file");
        }
        source.ThrowIfErrors();
        var ids = users.SelectMany(u => u.Tokens).GroupBy(t => t.Id).FirstOrDefault(g => g.Count() > 1);
        if (ids is not null)
            throw new YamlFileException([new YamlError(source.File, 0, 0, "users", $"token id {ids.Key} appears more than once")]);
        return new UsersFile(users);
    }

    private static UserEntry? ParseUser(string name, MappingReader user)
    {
        var roleText = user.String("role", required: true);
        Role role = Role.Viewer;
        if (roleText is not null && !Roles.TryParse(roleText, out role))
            user.Context.Error(user.Value("role")!, user.PathOf("role"), $"unknown role '{roleText}'; expected {string.Join(", ", Roles.Names)}",
                NearestName.Find(roleText, Roles.Names));
        var password = user.String("password");
        if (password is not null && SecretHash.Problem(password) is { } passwordProblem)
            user.Context.Error(user.Value("password")!, user.PathOf("password"), passwordProblem);
        var tokens = new List<TokenEntry>();
        if (user.Sequence("tokens") is { } list)
            for (int i = 0; i < list.Children.Count; i++)
                if (MappingReader.For(list.Children[i], $"{user.PathOf("tokens")}[{i}]", user.Context) is { } token && ParseToken(token) is { } parsed)
                    tokens.Add(parsed);
        var certificate = user.String("certificate");
        user.RejectUnknownKeys("a user");
        return roleText is null ? null : new UserEntry(name, role) { PasswordHash = password, Tokens = tokens, Certificate = certificate };
    }

    private static TokenEntry? ParseToken(MappingReader token)
    {
        var id = token.String("id", required: true);
        if (id is not null && !TokenId().IsMatch(id))
            token.Context.Error(token.Value("id")!, token.PathOf("id"), "a token id is 12 lowercase hex digits");
        var hash = token.String("hash", required: true);
        if (hash is not null && SecretHash.Problem(hash) is { } problem)
            token.Context.Error(token.Value("hash")!, token.PathOf("hash"), problem);
        DateTimeOffset? created = null;
        if (token.String("created") is { } text)
        {
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                created = at;
            else
                token.Context.Error(token.Value("created")!, token.PathOf("created"), "expected a time such as 2026-12-08T01:30:00Z");
        }
        token.RejectUnknownKeys("a token");
        return id is null || hash is null ? null : new TokenEntry(id, hash, created);
    }

    /// <summary>A new token: <c>narada_ID_SECRET</c> (256 random bits), and its entry for the file.</summary>
    public static (string Token, TokenEntry Entry) NewToken(DateTimeOffset now, int iterations = SecretHash.DefaultIterations)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var token = $"{TokenPrefix}{id}_{Base64Url(RandomNumberGenerator.GetBytes(32))}";
        return (token, new TokenEntry(id, SecretHash.Hash(token, iterations), now));
    }

    /// <summary>The id inside a token, so it can be checked against that one hash only; null for anything else.</summary>
    public static string? TokenIdOf(string token)
    {
        if (!token.StartsWith(TokenPrefix, StringComparison.Ordinal) || token.Length < TokenPrefix.Length + 14)
            return null;
        var id = token.Substring(TokenPrefix.Length, 12);
        return token[TokenPrefix.Length + 12] == '_' && TokenId().IsMatch(id) ? id : null;
    }

    public UserEntry? Find(string name) => Users.FirstOrDefault(u => u.Name == name);

    /// <summary>This file with <paramref name="user"/> in place of the one of the same name (or added at the end).</summary>
    public UsersFile With(UserEntry user)
    {
        var users = Users.ToList();
        int at = users.FindIndex(u => u.Name == user.Name);
        if (at >= 0)
            users[at] = user;
        else
            users.Add(user);
        return new UsersFile(users);
    }

    public UsersFile Without(string name) => new([.. Users.Where(u => u.Name != name)]);

    /// <summary>The file's text, as <see cref="Read"/> reads it back.</summary>
    public string Write()
    {
        var text = new StringBuilder("""
            # Narada users: who may use the controller's API and dashboard (narada server --users FILE).
            # Written by `narada users`; secrets are stored as PBKDF2 hashes only. Reloaded on SIGHUP.
            users:
            """);
        text.Append(Users.Count == 0 ? " {}\n" : "\n");
        foreach (var user in Users)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {Quote(user.Name)}:\n    role: {Roles.Name(user.Role)}\n");
            if (user.PasswordHash is { } password)
                text.Append(CultureInfo.InvariantCulture, $"    password: {Quote(password)}\n");
            if (user.Certificate is { } certificate)
                text.Append(CultureInfo.InvariantCulture, $"    certificate: {Quote(certificate)}\n");
            if (user.Tokens.Count > 0)
                text.Append("    tokens:\n");
            foreach (var token in user.Tokens)
            {
                text.Append(CultureInfo.InvariantCulture, $"      - id: \"{token.Id}\"\n        hash: {Quote(token.Hash)}\n");
                if (token.Created is { } created)
                    text.Append(CultureInfo.InvariantCulture, $"        created: {created.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\n");
            }
        }
        return text.ToString();
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("^[A-Za-z0-9._@-]{1,64}$")]
    private static partial Regex ValidName();

    [GeneratedRegex("^[0-9a-f]{12}$")]
    private static partial Regex TokenId();
}
