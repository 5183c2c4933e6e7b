using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Narada.Plugins.System.Parsing;

namespace Narada.Plugins.System.Facts;

/// <summary>Gathers <see cref="HostFacts"/> from /etc/os-release, procfs, sysfs, the network stack and the resolver.</summary>
public sealed class FactsCollector(SystemPaths? paths = null)
{
    // A host with a broken resolver must still send its heartbeat promptly.
    private static readonly TimeSpan FqdnTimeout = TimeSpan.FromSeconds(2);

    private readonly SystemPaths _paths = paths ?? SystemPaths.Default;

    /// <summary>Collects the facts; only the FQDN lookup waits on I/O, and it gives up after two seconds.</summary>
    public async ValueTask<HostFacts> CollectAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var hostname = Dns.GetHostName();
        var os = ReadOsRelease();
        var cpuInfo = ProcFile.TryReadString(_paths.ProcFile("cpuinfo"));
        var uptime = ReadUptime();
        return new HostFacts
        {
            Hostname = hostname,
            Fqdn = await ResolveFqdnAsync(hostname, cancellationToken).ConfigureAwait(false),
            OsId = os.GetValueOrDefault("ID"),
            OsPrettyName = os.GetValueOrDefault("PRETTY_NAME"),
            OsVersion = os.GetValueOrDefault("VERSION_ID"),
            Kernel = ProcFile.TryReadString(_paths.ProcFile("sys/kernel/osrelease")),
            Architecture = UnameMachine(RuntimeInformation.OSArchitecture),
            Cpus = Environment.ProcessorCount,
            CpuModel = cpuInfo is null ? null : CpuModel(cpuInfo),
            MemoryBytes = ReadMemTotalBytes(),
            Addresses = Addresses(),
            UptimeSeconds = uptime,
            BootTime = ReadBootTime(),
            Virtualization = new VirtualizationHints(
                Hypervisor: cpuInfo is not null && HasHypervisorFlag(cpuInfo),
                Vendor: ProcFile.TryReadString(_paths.SysFile("class/dmi/id/sys_vendor")),
                Product: ProcFile.TryReadString(_paths.SysFile("class/dmi/id/product_name")),
                Container: DetectContainer()),
        };
    }

    private IReadOnlyDictionary<string, string> ReadOsRelease()
    {
        // os-release(5): /etc/os-release first, /usr/lib/os-release as the fallback.
        var text = ProcFile.TryReadString(Path.Combine(_paths.Etc, "os-release"))
                   ?? ProcFile.TryReadString(Path.Combine(_paths.Root, "usr/lib/os-release"));
        return text is null ? new Dictionary<string, string>() : OsRelease.Parse(text);
    }

    private static async ValueTask<string> ResolveFqdnAsync(string hostname, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(FqdnTimeout);
        try
        {
            var entry = await Dns.GetHostEntryAsync(hostname, AddressFamily.Unspecified, timeout.Token).ConfigureAwait(false);
            return string.IsNullOrEmpty(entry.HostName) ? hostname : entry.HostName;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return hostname;
        }
    }

    internal static string UnameMachine(Architecture architecture) => architecture switch
    {
        Architecture.X64 => "x86_64",
        Architecture.X86 => "i686",
        Architecture.Arm64 => "aarch64",
        Architecture.Arm => "armv7l",
        Architecture.RiscV64 => "riscv64",
        Architecture.LoongArch64 => "loongarch64",
        Architecture.Ppc64le => "ppc64le",
        Architecture.S390x => "s390x",
        _ => architecture.ToString().ToLowerInvariant(),
    };

    private static string? CpuModel(string cpuInfo)
    {
        // x86 says "model name"; some ARM and other kernels say "Processor", "cpu model" or only "Hardware".
        foreach (var key in (ReadOnlySpan<string>)["model name", "cpu model", "Processor", "Hardware"])
            foreach (var line in cpuInfo.AsSpan().EnumerateLines())
            {
                var colon = line.IndexOf(':');
                if (colon > 0 && line[..colon].Trim().SequenceEqual(key))
                    return line[(colon + 1)..].Trim().ToString();
            }
        return null;
    }

    private static bool HasHypervisorFlag(string cpuInfo)
    {
        foreach (var line in cpuInfo.AsSpan().EnumerateLines())
        {
            if (!line.StartsWith("flags"))
                continue;
            foreach (var range in line.Split(' '))
                if (line[range].SequenceEqual("hypervisor"))
                    return true;
            return false;
        }
        return false;
    }

    private long? ReadMemTotalBytes()
    {
        var meminfo = ProcFile.TryReadString(_paths.ProcFile("meminfo"));
        foreach (var line in (meminfo ?? "").AsSpan().EnumerateLines())
        {
            if (!line.StartsWith("MemTotal:"))
                continue;
            var value = line["MemTotal:".Length..].Trim();
            var space = value.IndexOf(' ');
            return long.TryParse(space < 0 ? value : value[..space], NumberStyles.None, CultureInfo.InvariantCulture, out var kb)
                ? kb * 1024
                : null;
        }
        return null;
    }

    private double? ReadUptime()
    {
        var text = ProcFile.TryReadString(_paths.ProcFile("uptime"));
        var space = text?.IndexOf(' ') ?? -1;
        return text is not null && double.TryParse(space < 0 ? text : text[..space], NumberStyles.Float,
            CultureInfo.InvariantCulture, out var seconds)
            ? seconds
            : null;
    }

    private DateTimeOffset? ReadBootTime()
    {
        var stat = ProcFile.TryReadString(_paths.ProcFile("stat"));
        foreach (var line in (stat ?? "").AsSpan().EnumerateLines())
            if (line.StartsWith("btime ") &&
                long.TryParse(line[6..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
                return DateTimeOffset.FromUnixTimeSeconds(seconds);
        return null;
    }

    private static List<string> Addresses()
    {
        var addresses = new List<string>();
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
                continue;
            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                var address = unicast.Address;
                // Link-local IPv6 needs a zone to be usable, so it says nothing to the controller.
                if (IPAddress.IsLoopback(address) || address.IsIPv6LinkLocal)
                    continue;
                addresses.Add(address.ToString());
            }
        }
        return addresses;
    }

    private string? DetectContainer()
    {
        // systemd writes the container manager's name here; the others leave marker files.
        var systemd = ProcFile.TryReadString(Path.Combine(_paths.Root, "run/systemd/container"));
        if (!string.IsNullOrEmpty(systemd))
            return systemd;
        if (File.Exists(Path.Combine(_paths.Root, ".dockerenv")))
            return "docker";
        if (File.Exists(Path.Combine(_paths.Root, "run/.containerenv")))
            return "podman";
        var cgroup = ProcFile.TryReadString(_paths.ProcFile("1/cgroup")) ?? "";
        if (cgroup.Contains("kubepods", StringComparison.Ordinal))
            return "kubernetes";
        if (cgroup.Contains("docker", StringComparison.Ordinal))
            return "docker";
        return cgroup.Contains("/lxc", StringComparison.Ordinal) ? "lxc" : null;
    }
}
