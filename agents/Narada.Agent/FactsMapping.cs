using Narada.Core.Contracts;
using Narada.Plugins.System.Facts;

namespace Narada.Agent;

/// <summary>Maps what the system plugin learns about the host onto the heartbeat's facts.</summary>
internal static class FactsMapping
{
    public static Facts ToEnvelope(HostFacts facts)
    {
        var extra = new Dictionary<string, string> { ["hostname"] = facts.Hostname, ["fqdn"] = facts.Fqdn };
        if (facts.OsPrettyName is { } pretty)
            extra["os_pretty_name"] = pretty;
        if (facts.CpuModel is { } model)
            extra["cpu_model"] = model;
        if (facts.Virtualization.Vendor is { } vendor)
            extra["virtualization"] = vendor;
        if (facts.Virtualization.Container is { } container)
            extra["container"] = container;
        return new Facts
        {
            Os = facts.OsId ?? "linux",
            OsVersion = facts.OsVersion ?? "",
            Kernel = facts.Kernel ?? "",
            Architecture = facts.Architecture,
            Cpus = facts.Cpus,
            MemoryBytes = facts.MemoryBytes ?? 0,
            Addresses = facts.Addresses,
            UptimeS = facts.UptimeSeconds ?? 0,
            BootTime = facts.BootTime,
            Extra = extra,
        };
    }
}
