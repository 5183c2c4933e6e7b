namespace Narada.Plugins.System;

/// <summary>
/// node_exporter's default filesystem exclusions: mount points under /dev, /proc, /sys, /run/credentials/*,
/// /var/lib/docker/*, /var/lib/containers/storage/*, and pseudo or read-only image filesystem types. tmpfs is
/// reported (node_exporter reports it too; /dev/shm is dropped by its mount point).
/// </summary>
public static class FilesystemFilter
{
    private static readonly HashSet<string> ExcludedTypes = new(StringComparer.Ordinal)
    {
        "autofs", "binfmt_misc", "bpf", "cgroup", "cgroup2", "configfs", "debugfs", "devpts", "devtmpfs", "fusectl",
        "hugetlbfs", "iso9660", "mqueue", "nsfs", "overlay", "proc", "procfs", "pstore", "rpc_pipefs", "securityfs",
        "selinuxfs", "squashfs", "erofs", "sysfs", "tracefs",
    };

    // Excluded with everything under them.
    private static readonly string[] ExcludedTrees = ["/dev", "/proc", "/sys"];

    // Only what is under them is excluded; the directory itself is reported.
    private static readonly string[] ExcludedChildren = ["/run/credentials/", "/var/lib/docker/", "/var/lib/containers/storage/"];

    public static bool IsExcluded(string mountPoint, string fsType)
    {
        if (ExcludedTypes.Contains(fsType))
            return true;
        foreach (var tree in ExcludedTrees)
            if (mountPoint == tree || mountPoint.StartsWith(tree + "/", StringComparison.Ordinal))
                return true;
        foreach (var parent in ExcludedChildren)
            if (mountPoint.Length > parent.Length && mountPoint.StartsWith(parent, StringComparison.Ordinal))
                return true;
        return false;
    }
}
