using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Narada.Core.Yaml;

namespace Narada.Controller.Access;

/// <summary>
/// The users file in force, reloaded on request (SIGHUP). A file that does not load on reload leaves the one in force
/// as it was. Tokens that verified once are remembered by a SHA-256 of the token until the next reload, so a program
/// calling every second pays for PBKDF2 once, not on every request.
/// </summary>
public sealed class UserDirectory
{
    private readonly ConcurrentDictionary<string, (string User, string TokenId)> _verified = new(StringComparer.Ordinal);
    private volatile UsersFile _current;

    /// <summary>Reads <paramref name="path"/>; throws <see cref="YamlFileException"/> when it has problems.</summary>
    public UserDirectory(string path)
    {
        Path = path;
        _current = UsersFile.Read(path);
    }

    public string Path { get; }

    public UsersFile Current => _current;

    /// <summary>Reads the file again; the problems when it does not load (the users in force stay), else none.</summary>
    public IReadOnlyList<YamlError> Reload()
    {
        try
        {
            _current = UsersFile.Read(Path);
            _verified.Clear();
            return [];
        }
        catch (YamlFileException e)
        {
            return e.Errors;
        }
    }

    /// <summary>The user a bearer token belongs to and the token's id, if it verified since the last reload (no
    /// PBKDF2 on this path); else null.</summary>
    public (UserEntry User, string TokenId)? ByKnownToken(string token) =>
        _verified.TryGetValue(Key(token), out var known) && _current.Find(known.User) is { } user ? (user, known.TokenId) : null;

    /// <summary>The user a bearer token belongs to and the token's id, or null.</summary>
    public (UserEntry User, string TokenId)? ByToken(string token)
    {
        if (ByKnownToken(token) is { } known)
            return known;
        var key = Key(token);
        var users = _current;
        if (UsersFile.TokenIdOf(token) is not { } id)
            return null;
        foreach (var user in users.Users)
            foreach (var entry in user.Tokens)
                if (entry.Id == id)
                {
                    if (!SecretHash.Verify(token, entry.Hash))
                        return null;
                    if (ReferenceEquals(users, _current))
                        _verified[key] = (user.Name, id);
                    return (user, id);
                }
        return null;
    }

    /// <summary>The user whose password (or one of whose tokens) <paramref name="secret"/> is, or null.</summary>
    public UserEntry? ByPassword(string name, string secret)
    {
        if (_current.Find(name) is not { } user)
        {
            // As long as a wrong password would take, so a response time does not tell which names exist.
            SecretHash.Verify(secret, Decoy);
            return null;
        }
        if (user.PasswordHash is { } hash && SecretHash.Verify(secret, hash))
            return user;
        return ByToken(secret) is { } byToken && byToken.User.Name == user.Name ? user : null;
    }

    /// <summary>The user a verified client certificate's CN names (its <c>certificate</c>, else its name), or null.</summary>
    public UserEntry? ByCertificate(string commonName) =>
        _current.Users.FirstOrDefault(u => string.Equals(u.Certificate ?? u.Name, commonName, StringComparison.OrdinalIgnoreCase));

    public UserEntry? ByName(string name) => _current.Find(name);

    private static string Key(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static readonly string Decoy = SecretHash.Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)));
}
