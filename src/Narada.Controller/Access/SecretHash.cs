using System.Security.Cryptography;

namespace Narada.Controller.Access;

/// <summary>
/// Passwords and tokens as stored in a users file: PBKDF2-HMAC-SHA256 from the framework with a random 16-byte salt,
/// written <c>pbkdf2-sha256$ITERATIONS$SALT$HASH</c> (base64). The iteration count travels with each hash, so raising
/// the default later leaves existing entries valid.
/// </summary>
public static class SecretHash
{
    /// <summary>OWASP's figure for PBKDF2-HMAC-SHA256 (2023).</summary>
    public const int DefaultIterations = 600_000;

    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string Hash(string secret, int iterations = DefaultIterations)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(secret, salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return $"{Scheme}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>Why <paramref name="stored"/> is not a hash this reads, or null when it is.</summary>
    public static string? Problem(string stored) => Parse(stored, out _, out _, out _);

    /// <summary>Whether <paramref name="secret"/> is the one <paramref name="stored"/> was made from (constant time).</summary>
    public static bool Verify(string secret, string stored)
    {
        if (Parse(stored, out int iterations, out var salt, out var expected) is not null)
            return false;
        var actual = Rfc2898DeriveBytes.Pbkdf2(secret, salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static string? Parse(string stored, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = hash = [];
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme)
            return $"expected {Scheme}$ITERATIONS$SALT$HASH (as `narada users add` writes it)";
        if (!int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out iterations)
            || iterations < 10_000)
            return "the iteration count must be a number of at least 10000";
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            hash = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return "the salt and hash must be base64";
        }
        return salt.Length < 8 || hash.Length < 16 ? "the salt or hash is too short" : null;
    }
}
