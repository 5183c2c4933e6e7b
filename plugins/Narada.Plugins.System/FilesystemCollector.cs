using Narada.Core.Metrics;
using Narada.Plugins.System.Native;
using Narada.Plugins.System.Parsing;

namespace Narada.Plugins.System;

/// <summary>
/// <c>system.filesystem</c>: size, free and available bytes, inodes and read-only flag of every real filesystem in
/// <c>/proc/self/mounts</c> (see <see cref="FilesystemFilter"/>), by statfs, labelled {device, mountpoint, fstype}.
/// Sizes use the fragment size (f_frsize, the unit POSIX gives the block counts in), which equals f_bsize on Linux
/// filesystems in practice. Network mounts are guarded by <see cref="StatFsProbe"/> against hanging.
/// </summary>
public sealed class FilesystemCollector : ProcCollector
{
    private readonly string _mountsPath;
    private readonly StatFsProbe _probe = new();

    private const long StReadOnly = 1;

    public FilesystemCollector(SystemPaths? paths = null) : base(paths ?? SystemPaths.Default) =>
        _mountsPath = Paths.ProcFile("self/mounts");

    public override string Name => "filesystem";

    public override string Description => "Filesystem size, free and available bytes, inodes, read-only (statfs)";

    private protected override int ExpectedSamples => 32;

    internal override void AppendTo(List<Sample> samples)
    {
        if (!Environment.Is64BitProcess || !OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("the filesystem collector reads struct statfs as laid out on 64-bit Linux");
        List<MountEntry> mounts;
        using (var text = ProcFile.Read(_mountsPath))
            mounts = MountEntry.ParseTable(text.Span);

        // A mount point can be listed twice (bind mounts, /dev/pts here); one series per label set, as Prometheus requires.
        var seen = new HashSet<(string, string, string)>();
        foreach (var mount in mounts)
        {
            if (FilesystemFilter.IsExcluded(mount.MountPoint, mount.FsType)
                || !seen.Add((mount.Device, mount.MountPoint, mount.FsType)))
                continue;
            var labels = new Dictionary<string, string>(3, StringComparer.Ordinal)
            {
                ["device"] = mount.Device,
                ["mountpoint"] = mount.MountPoint,
                ["fstype"] = mount.FsType,
            };
            if (!_probe.TryStat(mount, out var stat))
            {
                samples.Add(Gauge("node_filesystem_device_error", 1,
                    "Whether an error occurred while getting statistics for the given device.", labels));
                samples.Add(Gauge("node_filesystem_readonly", mount.ReadOnly ? 1 : 0, "Filesystem read-only status.", labels));
                continue;
            }
            double unit = stat.FragmentSize > 0 ? stat.FragmentSize : stat.BlockSize;
            var readOnly = mount.ReadOnly || (stat.Flags & StReadOnly) != 0;
            samples.Add(Gauge("node_filesystem_size_bytes", stat.Blocks * unit, "Filesystem size in bytes.", labels));
            samples.Add(Gauge("node_filesystem_free_bytes", stat.BlocksFree * unit, "Filesystem free space in bytes.", labels));
            samples.Add(Gauge("node_filesystem_avail_bytes", stat.BlocksAvailable * unit,
                "Filesystem space available to non-root users in bytes.", labels));
            samples.Add(Gauge("node_filesystem_files", stat.Files, "Filesystem total file nodes.", labels));
            samples.Add(Gauge("node_filesystem_files_free", stat.FilesFree, "Filesystem total free file nodes.", labels));
            samples.Add(Gauge("node_filesystem_readonly", readOnly ? 1 : 0, "Filesystem read-only status.", labels));
            samples.Add(Gauge("node_filesystem_device_error", 0,
                "Whether an error occurred while getting statistics for the given device.", labels));
        }
    }
}
