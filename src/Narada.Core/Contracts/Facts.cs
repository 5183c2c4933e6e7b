namespace Narada.Core.Contracts;

/// <summary>What an agent knows about its host, sent with every heartbeat and used as template variables.</summary>
public sealed record Facts
{
    public string Os { get; set; } = "";

    public string OsVersion { get; set; } = "";

    public string Kernel { get; set; } = "";

    public string Architecture { get; set; } = "";

    public int Cpus { get; set; }

    public long MemoryBytes { get; set; }

    public IReadOnlyList<string> Addresses { get; set; } = [];

    public double UptimeS { get; set; }

    public DateTimeOffset? BootTime { get; set; }

    /// <summary>Anything else a fact source found, by name.</summary>
    public IReadOnlyDictionary<string, string> Extra { get; set; } = new Dictionary<string, string>();
}
