namespace Narada.JobServer.Security;

/// <summary>
/// The job server's ACL: which identity may register, submit to and administer what. Deny by default: an action is
/// allowed only when some rule that applies to the identity grants it.
/// </summary>
public sealed class AclPolicy
{
    public AclPolicy(IReadOnlyList<AclRule> rules) => Rules = rules;

    public IReadOnlyList<AclRule> Rules { get; }

    /// <summary>Whether <paramref name="identity"/> may do <paramref name="action"/> on <paramref name="name"/> (a function
    /// name, or an admin command name from <see cref="AdminCommandKind.NameOf"/>).</summary>
    public bool Allows(PeerIdentity identity, AclAction action, string name)
    {
        foreach (var rule in Rules)
            if (rule.AppliesTo(identity) && rule.Grants(action, name, identity))
                return true;
        return false;
    }

    /// <summary>Reads a policy from a YAML file; see <see cref="AclPolicyReader"/>.</summary>
    public static AclPolicy Load(string path) => AclPolicyReader.Read(path);
}
