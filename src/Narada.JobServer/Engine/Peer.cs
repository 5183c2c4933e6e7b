using Narada.JobServer.Sessions;

namespace Narada.JobServer.Engine;

/// <summary>What the engine knows about one connection, client and/or worker. Mutated only under the engine lock.</summary>
internal sealed class Peer
{
    public Peer(long id, string remoteAddress, Outbox outbox)
    {
        Id = id;
        RemoteAddress = remoteAddress;
        Outbox = outbox;
    }

    /// <summary>Connection number, shown where gearmand shows the file descriptor.</summary>
    public long Id { get; }
    public string RemoteAddress { get; }
    public Outbox Outbox { get; }

    /// <summary>SET_CLIENT_ID, <c>-</c> until set.</summary>
    public string ClientId { get; set; } = "-";

    /// <summary>Functions this worker registered, in CAN_DO order.</summary>
    public List<Ability> Abilities { get; } = [];

    /// <summary>The function of this client's last new job; only a shortcut for the next submit's lookup.</summary>
    public FunctionQueue? LastSubmitted { get; set; }

    /// <summary>Where the next grab starts looking, so one busy function cannot starve the others.</summary>
    public int NextAbility { get; set; }

    /// <summary>Sleeper-list entries while asleep after PRE_SLEEP; empty when awake.</summary>
    public List<(FunctionQueue Function, LinkedListNode<Peer> Node)> SleepNodes { get; } = [];

    public HashSet<Job> Holding { get; } = [];
    public HashSet<Job> Watching { get; } = [];

    /// <summary>OPTION_REQ exceptions: this client wants WORK_EXCEPTION rather than WORK_FAIL.</summary>
    public bool WantsExceptions { get; set; }

    public bool Closed { get; set; }

    /// <summary>The ACL as this connection's verified identity meets it; null when the server has no ACL.</summary>
    public Security.AclGate? Acl { get; set; }

    public int AbilityIndex(FunctionQueue function) => Abilities.FindIndex(a => a.Function == function);
}

/// <summary>One function a worker can run, with its CAN_DO_TIMEOUT in milliseconds (0: none).</summary>
internal sealed record Ability(FunctionQueue Function, int TimeoutMs);
