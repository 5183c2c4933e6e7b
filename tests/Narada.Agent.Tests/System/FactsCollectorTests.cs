using System.Globalization;
using Narada.Plugins.System.Facts;

namespace Narada.Agent.Tests.SystemPlugin;

[Trait("Category", "Peers")]
public sealed class FactsCollectorTests
{
    [Fact]
    public async Task Kernel_hostname_fqdn_and_architecture_equal_the_system_tools()
    {
        var facts = await new FactsCollector().CollectAsync();
        Assert.Equal(await KernelTools.RunAsync("uname", "coreutils", "-r"), facts.Kernel);
        Assert.Equal(await KernelTools.RunAsync("uname", "coreutils", "-m"), facts.Architecture);
        Assert.Equal(await KernelTools.RunAsync("hostname", "hostname"), facts.Hostname);
        Assert.Equal(await KernelTools.RunAsync("hostname", "hostname", "-f"), facts.Fqdn);
    }

    [Fact]
    public async Task Os_fields_equal_what_the_shell_reads_from_os_release()
    {
        var facts = await new FactsCollector().CollectAsync();
        var shell = (await KernelTools.RunAsync("sh", "dash", "-c", ". /etc/os-release; printf '%s\\n%s\\n%s' \"$ID\" \"$PRETTY_NAME\" \"$VERSION_ID\""))
            .Split('\n');
        Assert.Equal(shell[0], facts.OsId);
        Assert.Equal(shell[1], facts.OsPrettyName);
        Assert.Equal(shell[2], facts.OsVersion);
    }

    [Fact]
    public async Task Addresses_equal_hostname_dash_capital_i()
    {
        var facts = await new FactsCollector().CollectAsync();
        var expected = (await KernelTools.RunAsync("hostname", "hostname", "-I")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Order(), facts.Addresses.Order());
    }

    [Fact]
    public async Task Cpu_memory_uptime_and_boot_time_equal_procfs()
    {
        var uptimeBefore = ReadUptime();
        var facts = await new FactsCollector().CollectAsync();
        var uptimeAfter = ReadUptime();

        Assert.Equal(Environment.ProcessorCount, facts.Cpus);
        var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        Assert.Equal(model?.Split(':', 2)[1].Trim(), facts.CpuModel);
        var memTotalKb = File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        Assert.Equal(long.Parse(memTotalKb, CultureInfo.InvariantCulture) * 1024, facts.MemoryBytes);
        Assert.InRange(facts.UptimeSeconds!.Value, uptimeBefore, uptimeAfter);
        var btime = File.ReadLines("/proc/stat").Single(l => l.StartsWith("btime ", StringComparison.Ordinal)).Split(' ')[1];
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(long.Parse(btime, CultureInfo.InvariantCulture)), facts.BootTime);
    }

    [Fact]
    public async Task Container_hint_agrees_with_systemd_detect_virt()
    {
        var result = await Narada.Testing.ExternalProcess.RunAsync(
            Narada.Testing.RequiredTool.Path("systemd-detect-virt", "systemd"), ["--container"]);
        var expected = result.Stdout.Trim();
        var facts = await new FactsCollector().CollectAsync();
        Assert.Equal(expected == "none" ? null : expected, facts.Virtualization.Container);
        var hypervisorFlag = File.ReadLines("/proc/cpuinfo").Any(l => l.StartsWith("flags", StringComparison.Ordinal) && l.Split(' ').Contains("hypervisor"));
        Assert.Equal(hypervisorFlag, facts.Virtualization.Hypervisor);
    }

    [Fact]
    public async Task Fixture_tree_yields_its_values_and_missing_files_yield_nulls()
    {
        using var fixture = new ProcFixture()
            .Etc("os-release", """
                # a comment
                ID=alpine
                PRETTY_NAME="Alpine \"Edge\" Linux \$HOME"
                VERSION_ID='3.21.0'
                not an assignment
                BAD KEY=x
                """)
            .Proc("sys/kernel/osrelease", "6.6.6-test\n")
            .Proc("cpuinfo", "processor\t: 0\nHardware\t: BCM2835\nflags\t\t: fpu vme hypervisor\n")
            .Proc("meminfo", "MemTotal:  1000 kB\n")
            .Proc("uptime", "42.5 80.0\n")
            .Proc("stat", "btime 1700000000\n")
            .Sys("class/dmi/id/sys_vendor", "QEMU\n")
            .Sys("class/dmi/id/product_name", "Standard PC (Q35 + ICH9, 2009)\n");
        Directory.CreateDirectory(Path.Combine(fixture.Root, "run/systemd"));
        File.WriteAllText(Path.Combine(fixture.Root, "run/systemd/container"), "lxc\n");

        var facts = await new FactsCollector(fixture.Paths).CollectAsync();
        Assert.Equal("alpine", facts.OsId);
        Assert.Equal("Alpine \"Edge\" Linux $HOME", facts.OsPrettyName);
        Assert.Equal("3.21.0", facts.OsVersion);
        Assert.Equal("6.6.6-test", facts.Kernel);
        Assert.Equal("BCM2835", facts.CpuModel);
        Assert.Equal(1024000, facts.MemoryBytes);
        Assert.Equal(42.5, facts.UptimeSeconds);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), facts.BootTime);
        Assert.Equal(new VirtualizationHints(true, "QEMU", "Standard PC (Q35 + ICH9, 2009)", "lxc"), facts.Virtualization);

        using var empty = new ProcFixture();
        var bare = await new FactsCollector(empty.Paths).CollectAsync();
        Assert.Null(bare.OsId);
        Assert.Null(bare.Kernel);
        Assert.Null(bare.CpuModel);
        Assert.Null(bare.MemoryBytes);
        Assert.Null(bare.UptimeSeconds);
        Assert.Null(bare.BootTime);
        Assert.Equal(new VirtualizationHints(false, null, null, null), bare.Virtualization);
        Assert.False(string.IsNullOrEmpty(bare.Hostname));
    }

    [Fact]
    public void Os_release_parsing_follows_shell_quoting()
    {
        var values = OsRelease.Parse("A=plain\nB=\"with \\\\ backslash and \\` tick\"\nC='single \\n kept'\nD=\"unterminated\n=novalue\n");
        Assert.Equal("plain", values["A"]);
        Assert.Equal("with \\ backslash and ` tick", values["B"]);
        Assert.Equal("single \\n kept", values["C"]);
        Assert.Equal("\"unterminated", values["D"]);
        Assert.Equal(4, values.Count);
    }

    private static double ReadUptime() =>
        double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], CultureInfo.InvariantCulture);
}
