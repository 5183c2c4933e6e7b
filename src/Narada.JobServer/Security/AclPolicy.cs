namespace Narada.JobServer.Security;

/// <summary>
/// The job server's ACL: which identity may register, submit to and administer what. Deny by default: an action is
/// allowed only when some rule that applies to the identity grants it.
/// </summary>
public sealed class AclPolicy
{
    public AclPolicy(IReadOnlyList<AclRule> rules)
    {
        Rules = rules;
        LimitsUniques = rules.Any(rule => rule.Unique.Count > 0);
    }

    public IReadOnlyList<AclRule> Rules { get; }

    /// <summary>True when some rule limits the unique keys of submissions, so a submit's decision depends on its unique.</summary>
    public bool LimitsUniques { get; }

    /// <summary>Whether <paramref name="identity"/> may do <paramref name="action"/> on <paramref name="name"/> (a function
    /// name, or an admin command name from <see cref="Narada.Gearman.Admin.AdminCommands.NameOf"/>); a submit also names the job's
    /// <paramref name="unique"/> key.</summary>
    public bool Allows(PeerIdentity identity, AclAction action, string name, string unique = "")
    {
        foreach (var rule in Rules)
            if (rule.AppliesTo(identity) && rule.Grants(action, name, identity, unique))
                return true;
        return false;
    }

    /// <summary>Reads a policy from a YAML file; see <see cref="AclPolicyReader"/>.</summary>
    public static AclPolicy Load(string path) => AclPolicyReader.Read(path);
}
