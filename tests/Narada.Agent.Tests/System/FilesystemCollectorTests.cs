using System.Globalization;
using System.Text.RegularExpressions;
using Narada.Plugins.System;

namespace Narada.Agent.Tests.SystemPlugin;

public sealed partial class FilesystemCollectorTests
{
    // node_exporter's default exclusions, verbatim, as the independent oracle.
    [GeneratedRegex(@"^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)")]
    private static partial Regex ExcludedMountPoints();

    [GeneratedRegex(@"^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|erofs|sysfs|tracefs)$")]
    private static partial Regex ExcludedTypes();

    [Fact]
    public async Task Root_sizes_agree_with_stat_f()
    {
        var samples = await new FilesystemCollector().CollectAsync();
        var stat = (await KernelTools.RunAsync("stat", "coreutils", "-f", "-c", "%b %S %f %a %c %d", "/"))
            .Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var (blocks, blockSize, free, avail, files, filesFree) = (stat[0], stat[1], stat[2], stat[3], stat[4], stat[5]);

        Assert.Equal(blocks * blockSize, samples.Value("node_filesystem_size_bytes", ("mountpoint", "/")));
        Assert.Equal(files, samples.Value("node_filesystem_files", ("mountpoint", "/")));
        // Other builds write to / at the same time: free space may move a little between the two readings.
        const double Slack = 512.0 * 1024 * 1024;
        Assert.InRange(samples.Value("node_filesystem_free_bytes", ("mountpoint", "/")), free * blockSize - Slack, free * blockSize + Slack);
        Assert.InRange(samples.Value("node_filesystem_avail_bytes", ("mountpoint", "/")), avail * blockSize - Slack, avail * blockSize + Slack);
        Assert.InRange(samples.Value("node_filesystem_files_free", ("mountpoint", "/")), filesFree - 100_000, filesFree + 100_000);
        Assert.Equal(0, samples.Value("node_filesystem_device_error", ("mountpoint", "/")));
    }

    [Fact]
    public async Task Mount_points_are_the_kernels_mount_table_minus_node_exporters_exclusions()
    {
        var samples = await new FilesystemCollector().CollectAsync();
        var expected = File.ReadLines("/proc/self/mounts").Select(l => l.Split(' '))
            .Where(p => !ExcludedMountPoints().IsMatch(p[1]) && !ExcludedTypes().IsMatch(p[2]))
            .Select(p => $"{p[0]} {p[1]} {p[2]}").Distinct().Order();
        var reported = samples.Named("node_filesystem_device_error")
            .Select(s => $"{s.Label("device")} {s.Label("mountpoint")} {s.Label("fstype")}").Order();
        Assert.Equal(expected, reported);
        Assert.Contains("/", samples.Select(s => s.Label("mountpoint")));
    }

    [Fact]
    public async Task Fixture_mount_table_unescapes_dedupes_excludes_and_flags_unreachable_mounts()
    {
        using var fixture = new ProcFixture();
        var data = fixture.MakeDirectory("data");
        fixture.MakeDirectory("my disk");
        var share = fixture.MakeDirectory("share");
        var root = fixture.Root;
        fixture.Proc("self/mounts", $"""
            /dev/sdz1 {data} ext4 rw,relatime 0 0
            /dev/sdz1 {data} ext4 rw,relatime 0 0
            /dev/sdz2 {root}/my\040disk xfs ro,relatime 0 0
            /dev/gone {root}/missing ext4 rw,noatime 0 0
            nas:/export {share} nfs4 rw,vers=4.2 0 0
            nas:/gone {root}/gone-share nfs4 rw 0 0
            proc /proc proc rw 0 0
            tmpfs /dev/shm tmpfs rw 0 0
            cgroup2 /sys/fs/cgroup cgroup2 rw 0 0
            overlay /var/lib/docker/overlay2/abc/merged overlay rw 0 0
            short line
            """);
        var samples = await new FilesystemCollector(fixture.Paths).CollectAsync();

        Assert.Equal([data, $"{root}/gone-share", $"{root}/missing", $"{root}/my disk", share],
            samples.Named("node_filesystem_device_error").Select(s => s.Label("mountpoint")).Order());
        Assert.Equal(0, samples.Value("node_filesystem_device_error", ("mountpoint", data)));
        Assert.Equal(0, samples.Value("node_filesystem_readonly", ("mountpoint", data)));
        Assert.Equal("ext4", samples.One("node_filesystem_size_bytes", ("mountpoint", data)).Label("fstype"));
        Assert.Equal("/dev/sdz1", samples.One("node_filesystem_size_bytes", ("mountpoint", data)).Label("device"));
        Assert.Equal(1, samples.Value("node_filesystem_readonly", ("mountpoint", $"{root}/my disk")));
        Assert.Equal(1, samples.Value("node_filesystem_device_error", ("mountpoint", $"{root}/missing")));
        Assert.DoesNotContain(samples.Named("node_filesystem_size_bytes"), s => s.Label("mountpoint") == $"{root}/missing");
        // Network mounts go through the time-limited probe and report the same way.
        Assert.Equal(0, samples.Value("node_filesystem_device_error", ("mountpoint", share)));
        Assert.Equal(samples.Value("node_filesystem_size_bytes", ("mountpoint", data)),
            samples.Value("node_filesystem_size_bytes", ("mountpoint", share)));
        Assert.Equal(1, samples.Value("node_filesystem_device_error", ("mountpoint", $"{root}/gone-share")));

        var stat = (await KernelTools.RunAsync("stat", "coreutils", "-f", "-c", "%b %S", data)).Split(' ');
        Assert.Equal(double.Parse(stat[0], CultureInfo.InvariantCulture) * double.Parse(stat[1], CultureInfo.InvariantCulture),
            samples.Value("node_filesystem_size_bytes", ("mountpoint", data)));
    }

    [Fact]
    public void Mount_entries_parse_octal_escapes_and_the_ro_option_exactly()
    {
        var entries = MountEntry.ParseTable("a /x\\040y\\011z\\134 ext4 rw,errors=remount-ro 0 0\nb /b btrfs ro 0 0\n"u8);
        Assert.Equal("/x y\tz\\", entries[0].MountPoint);
        Assert.False(entries[0].ReadOnly);
        Assert.True(entries[1].ReadOnly);
    }
}
