namespace Narada.Controller.Hosts;

/// <summary>Whether an agent is heard from.</summary>
public enum HostStatus
{
    Up,
    Down,
}

/// <summary>What the controller knows about one host: from its agent's heartbeats and static definitions.</summary>
public sealed record HostRecord(string Name)
{
    public IReadOnlySet<string> Tags { get; init; } = new HashSet<string>();
    public IReadOnlyList<string> Plugins { get; init; } = [];
    public IReadOnlyDictionary<string, object?> Facts { get; init; } = new Dictionary<string, object?>();
    public string? AgentVersion { get; init; }
    public DateTimeOffset? LastHeartbeat { get; init; }
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(10);
    public HostStatus Status { get; init; } = HostStatus.Down;

    /// <summary>The agent instance of the latest heartbeat (empty from agents that do not send one).</summary>
    public string Instance { get; init; } = "";

    /// <summary>Instances heard from lately, with when: more than one taking turns means two agents share this name.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> RecentInstances { get; init; } = new Dictionary<string, DateTimeOffset>();

    /// <summary>True while two or more agents send heartbeats under this host's name.</summary>
    public bool NameConflict { get; init; }

    /// <summary>True for hosts only declared in config that no agent has announced yet.</summary>
    public bool DeclaredOnly => LastHeartbeat is null;
}
