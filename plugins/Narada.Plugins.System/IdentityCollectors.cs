using System.Globalization;
using System.Runtime.InteropServices;
using Narada.Core.Metrics;
using Narada.Plugins.System.Facts;
using Narada.Plugins.System.Parsing;

namespace Narada.Plugins.System;

/// <summary><c>system.uname</c>: <c>node_uname_info</c> from <c>/proc/sys/kernel</c>, as node_exporter's uname collector labels it.</summary>
public sealed class UnameCollector(SystemPaths? paths = null) : ProcCollector(paths ?? SystemPaths.Default)
{
    public override string Name => "uname";

    public override string Description => "Kernel name, release, version, host and domain name, machine (/proc/sys/kernel)";

    internal override void AppendTo(List<Sample> samples)
    {
        string Kernel(string file) => ProcFile.TryReadString(Paths.ProcFile($"sys/kernel/{file}"))
            ?? throw new CollectorSourceException(Paths.ProcFile($"sys/kernel/{file}"), new IOException("cannot be read"));
        samples.Add(Gauge("node_uname_info", 1, "Labeled system information as provided by the uname system call.",
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["domainname"] = Kernel("domainname"),
                ["machine"] = FactsCollector.UnameMachine(RuntimeInformation.OSArchitecture),
                ["nodename"] = Kernel("hostname"),
                ["release"] = Kernel("osrelease"),
                ["sysname"] = Kernel("ostype"),
                ["version"] = Kernel("version"),
            }));
    }
}

/// <summary><c>system.os</c>: <c>node_os_info</c> and <c>node_os_version</c> from os-release(5), as node_exporter's os collector writes them.</summary>
public sealed class OsCollector(SystemPaths? paths = null) : ProcCollector(paths ?? SystemPaths.Default)
{
    private static readonly string[] InfoKeys =
        ["BUILD_ID", "ID", "ID_LIKE", "IMAGE_ID", "IMAGE_VERSION", "NAME", "PRETTY_NAME", "VARIANT", "VARIANT_ID", "VERSION", "VERSION_CODENAME", "VERSION_ID"];

    public override string Name => "os";

    public override string Description => "Operating system name and version (/etc/os-release)";

    internal override void AppendTo(List<Sample> samples)
    {
        var etc = Path.Combine(Paths.Etc, "os-release");
        var text = ProcFile.TryReadString(etc) ?? ProcFile.TryReadString(Path.Combine(Paths.Root, "usr/lib/os-release"))
            ?? throw new CollectorSourceException(etc, new IOException("neither /etc/os-release nor /usr/lib/os-release can be read"));
        var os = OsRelease.Parse(text);
        string Value(string key) => os.GetValueOrDefault(key) ?? "";
        samples.Add(Gauge("node_os_info", 1,
            "A metric with a constant '1' value labeled by build_id, id, id_like, image_id, image_version, name, pretty_name, variant, variant_id, version, version_codename, version_id.",
            InfoKeys.ToDictionary(k => k.ToLowerInvariant(), Value, StringComparer.Ordinal)));
        samples.Add(Gauge("node_os_version", MajorMinor(Value("VERSION_ID")), "Metric containing the major.minor part of the OS version.",
            new Dictionary<string, string>(StringComparer.Ordinal) { ["id"] = Value("ID"), ["id_like"] = Value("ID_LIKE"), ["name"] = Value("NAME") }));
    }

    /// <summary>"22.04.3" → 22.04, "12" → 12; 0 when the version has no leading number.</summary>
    private static double MajorMinor(string version)
    {
        var parts = version.Split('.');
        var text = parts.Length >= 2 ? $"{parts[0]}.{parts[1]}" : parts[0];
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : 0;
    }
}
