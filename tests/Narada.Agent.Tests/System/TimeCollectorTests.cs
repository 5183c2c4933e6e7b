using Narada.Plugins.System;

namespace Narada.Agent.Tests.SystemPlugin;

public sealed class TimeCollectorTests
{
    [Fact]
    public async Task Time_lies_between_two_clock_readings_and_the_zone_is_dates()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        var samples = await new TimeCollector().CollectAsync();
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0 + 0.001;
        Assert.InRange(samples.Value("node_time_seconds"), before, after);

        var zone = samples.One("node_time_zone_offset_seconds");
        Assert.Equal(await KernelTools.RunAsync("date", "coreutils", "+%Z"), zone.Label("time_zone"));
        Assert.Equal(TimeZoneInfo.Local.GetUtcOffset(DateTime.UtcNow).TotalSeconds, zone.Value);
    }

    [Fact]
    public async Task Clocksources_equal_sysfs()
    {
        var samples = await new TimeCollector().CollectAsync();
        var directory = "/sys/devices/system/clocksource/clocksource0";
        var available = File.ReadAllText(Path.Combine(directory, "available_clocksource")).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(available.Order(), samples.Named("node_time_clocksource_available_info").Where(s => s.Label("device") == "0").Select(s => s.Label("clocksource")).Order());
        Assert.Equal(File.ReadAllText(Path.Combine(directory, "current_clocksource")).Trim(),
            samples.One("node_time_clocksource_current_info", ("device", "0")).Label("clocksource"));
    }

    [Fact]
    public async Task Fixture_clocksources_by_device_and_an_unreadable_device_left_out()
    {
        using var fixture = new ProcFixture()
            .Sys("devices/system/clocksource/clocksource0/available_clocksource", "tsc kvm-clock acpi_pm \n")
            .Sys("devices/system/clocksource/clocksource0/current_clocksource", "tsc\n")
            .Sys("devices/system/clocksource/clocksource1/current_clocksource", "arch_sys_counter\n")
            .Sys("devices/system/clocksource/power/available_clocksource", "not a device\n");
        fixture.MakeDirectory("sys/devices/system/clocksource/clocksource2"); // nothing readable in it
        var samples = await new TimeCollector(fixture.Paths).CollectAsync();

        Assert.Equal(["acpi_pm", "kvm-clock", "tsc"],
            samples.Named("node_time_clocksource_available_info").Where(s => s.Label("device") == "0").Select(s => s.Label("clocksource")).Order());
        Assert.Equal("tsc", samples.One("node_time_clocksource_current_info", ("device", "0")).Label("clocksource"));
        Assert.Equal("arch_sys_counter", samples.One("node_time_clocksource_current_info", ("device", "1")).Label("clocksource"));
        Assert.DoesNotContain(samples, s => s.Labels.TryGetValue("device", out var d) && d is "2" or "power");
    }

    [Fact]
    public async Task No_clocksource_directory_still_reports_time_and_zone()
    {
        using var fixture = new ProcFixture();
        var samples = await new TimeCollector(fixture.Paths).CollectAsync();
        Assert.Equal(["node_time_seconds", "node_time_zone_offset_seconds"], samples.Select(s => s.Name));
    }
}
