namespace Narada.JobServer.Security;

/// <summary>One ACL entry: who it applies to and what it grants. Grants of several matching rules add up.</summary>
public sealed record AclRule
{
    /// <summary>Identity that matches every connection with a verified certificate.</summary>
    public const string AnyAuthenticated = "*";

    /// <summary>Identity that matches connections without a client certificate.</summary>
    public const string Anonymous = "anonymous";

    /// <summary>Certificate names (CN or SAN DNS name), <c>*</c> or <c>anonymous</c>; globs allowed.</summary>
    public required IReadOnlyList<string> Identities { get; init; }

    public IReadOnlyList<FunctionPattern> Register { get; init; } = [];
    public IReadOnlyList<FunctionPattern> Submit { get; init; } = [];

    /// <summary>
    /// Unique keys this rule's <see cref="Submit"/> grants are limited to (globs with <c>{cn}</c>); empty: any unique.
    /// <c>*@{cn}</c> makes a certificate sign the uniques of its jobs, so a worker can tell which host submitted one.
    /// </summary>
    public IReadOnlyList<FunctionPattern> Unique { get; init; } = [];

    /// <summary>Admin commands: <c>read</c>, <c>write</c>, or command names such as <c>status</c> or <c>cancel job</c>.</summary>
    public IReadOnlyList<FunctionPattern> Admin { get; init; } = [];

    /// <summary>Where the rule was written, for messages.</summary>
    public string Origin { get; init; } = "";

    public bool AppliesTo(PeerIdentity identity)
    {
        foreach (var pattern in Identities)
        {
            if (identity.IsAnonymous)
            {
                if (pattern == Anonymous)
                    return true;
                continue;
            }
            if (pattern == AnyAuthenticated)
                return true;
            var glob = FunctionPattern.Parse(pattern);
            foreach (var name in identity.Names)
                if (glob.Matches(name, identity))
                    return true;
        }
        return false;
    }

    /// <summary>Whether this rule grants <paramref name="action"/> on <paramref name="name"/>; a submit also names the
    /// job's <paramref name="unique"/> key.</summary>
    public bool Grants(AclAction action, string name, PeerIdentity identity, string unique = "") => action switch
    {
        AclAction.Register => Any(Register, name, identity),
        AclAction.Submit => Any(Submit, name, identity) && (Unique.Count == 0 || Any(Unique, unique, identity)),
        AclAction.Admin => Admin.Any(p => p.Text == AccessWord(name)) || Any(Admin, name, identity),
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "not an ACL action"),
    };

    /// <summary>ACL word granting every command that changes state.</summary>
    public const string WriteWord = "write";

    /// <summary>ACL word granting every command that only reads.</summary>
    public const string ReadWord = "read";

    // A command outside the table is neither read nor write: only a rule that names it (or "*") admits it.
    private static string? AccessWord(string command) =>
        Narada.Gearman.Admin.AdminCommands.All.FirstOrDefault(c => c.Name == command)?.Access switch
        {
            Narada.Gearman.Admin.AdminAccess.Read => ReadWord,
            Narada.Gearman.Admin.AdminAccess.Write => WriteWord,
            _ => null,
        };

    private static bool Any(IReadOnlyList<FunctionPattern> patterns, string name, PeerIdentity identity)
    {
        foreach (var pattern in patterns)
            if (pattern.Matches(name, identity))
                return true;
        return false;
    }
}
