using System.Collections.Concurrent;
using Narada.Plugins.System.Native;

namespace Narada.Plugins.System;

/// <summary>
/// statfs with node_exporter's guard against hung network mounts: a mount not backed by a local block device is
/// asked on the thread pool and given <see cref="Timeout"/>; one that does not answer is reported as an error, and
/// not asked again until the stuck call returns, so a dead NFS server costs one blocked thread, not one per collection.
/// </summary>
internal sealed class StatFsProbe
{
    /// <summary>node_exporter's default <c>--collector.filesystem.mount-timeout</c>.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, byte> _stuck = new(StringComparer.Ordinal);

    public bool TryStat(MountEntry mount, out StatFsBuffer stat)
    {
        if (IsLocal(mount))
            return LibC.StatFs(mount.MountPoint, out stat) == 0;
        stat = default;
        if (_stuck.ContainsKey(mount.MountPoint))
            return false;
        var call = Task.Run(() => LibC.StatFs(mount.MountPoint, out var s) == 0 ? s : (StatFsBuffer?)null);
        if (!call.Wait(Timeout))
        {
            _stuck[mount.MountPoint] = 0;
            call.ContinueWith(_ => _stuck.TryRemove(mount.MountPoint, out byte _), TaskScheduler.Default);
            return false;
        }
        if (call.Result is not { } result)
            return false;
        stat = result;
        return true;
    }

    // Block devices and memory filesystems answer from local state; everything else may wait on a network or daemon.
    private static bool IsLocal(MountEntry mount) =>
        mount.Device.StartsWith("/dev/", StringComparison.Ordinal) || mount.FsType is "tmpfs" or "ramfs" or "zfs" or "btrfs";
}
