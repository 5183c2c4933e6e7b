namespace Narada.Controller.Access;

/// <summary>What a user or token may do, each role all of the one before it except <see cref="Metrics"/>, which reads
/// /metrics only (for Prometheus' bearer token).</summary>
public enum Role
{
    Metrics,
    Viewer,
    Operator,
    Admin,
}

/// <summary>What an endpoint needs of whoever calls it.</summary>
public enum Need
{
    /// <summary>Nobody needs to be known: the login page and the stylesheet and script it uses.</summary>
    Public,

    /// <summary>/metrics: the metrics role and every role above it.</summary>
    Metrics,

    /// <summary>Reading state, history and the dashboard's pages: viewer and above.</summary>
    Read,

    /// <summary>Changing how alerts go (silences): operator and above.</summary>
    Operate,

    /// <summary>Changing hosts (applies) and seeing rendered files (dry runs, diffs, which may hold secrets): admin.</summary>
    Admin,
}

public static class Roles
{
    public static readonly IReadOnlyList<string> Names = [.. Enum.GetValues<Role>().Select(Name)];

    public static string Name(Role role) => role.ToString().ToLowerInvariant();

    public static string Name(Need need) => need.ToString().ToLowerInvariant();

    public static bool TryParse(string text, out Role role)
    {
        foreach (var candidate in Enum.GetValues<Role>())
            if (Name(candidate) == text)
            {
                role = candidate;
                return true;
            }
        role = default;
        return false;
    }

    /// <summary>Whether <paramref name="role"/> meets <paramref name="need"/>: ranks line up (metrics=0 … admin=3).</summary>
    public static bool Allows(this Role role, Need need) => need == Need.Public || (int)role >= (int)need - 1;

    /// <summary>The least role that meets <paramref name="need"/>; null for a public endpoint.</summary>
    public static Role? Least(Need need) => need == Need.Public ? null : (Role)((int)need - 1);
}
