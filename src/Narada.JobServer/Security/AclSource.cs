namespace Narada.JobServer.Security;

/// <summary>The ACL in force: every connection's gate reads it, so a reload reaches connections already open.</summary>
internal sealed class AclSource(AclPolicy policy)
{
    private AclPolicy _policy = policy;

    public AclPolicy Policy
    {
        get => Volatile.Read(ref _policy);
        set => Volatile.Write(ref _policy, value);
    }
}
