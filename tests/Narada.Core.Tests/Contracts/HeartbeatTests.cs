using System.Text;
using System.Text.Json.Nodes;
using Narada.Core.Contracts;

namespace Narada.Core.Tests.Contracts;

public sealed class HeartbeatTests
{
    [Fact]
    public void Facts_round_trip_with_their_snake_case_names()
    {
        var heartbeat = new Heartbeat
        {
            Host = "web01",
            Tags = ["linux", "web"],
            Plugins = ["nagios.check_disk", "system.node"],
            Version = "0.1.0",
            IntervalS = 15,
            Facts = new Facts
            {
                Os = "linux",
                OsVersion = "Debian 13",
                Kernel = "6.12.0",
                Architecture = "x64",
                Cpus = 2,
                MemoryBytes = 4L << 30,
                Addresses = ["10.0.0.5", "fe80::1"],
                UptimeS = 1234.5,
                BootTime = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero),
                Extra = new Dictionary<string, string> { ["virtualization"] = "kvm" },
            },
        };
        var bytes = Envelope.Serialize(heartbeat);
        var facts = JsonNode.Parse(bytes)!["facts"]!.AsObject();
        Assert.Equal(["os", "os_version", "kernel", "architecture", "cpus", "memory_bytes", "addresses", "uptime_s", "boot_time", "extra"],
            facts.Select(p => p.Key));
        Assert.Equal(15, (int)JsonNode.Parse(bytes)!["interval_s"]!);

        var back = Envelope.Parse<Heartbeat>(bytes);
        Assert.Equal(heartbeat.Tags, back.Tags);
        Assert.Equal(heartbeat.Plugins, back.Plugins);
        Assert.Equal(heartbeat.Facts.Addresses, back.Facts.Addresses);
        Assert.Equal(heartbeat.Facts.Extra, back.Facts.Extra);
        Assert.Equal(heartbeat.Facts with { Addresses = back.Facts.Addresses, Extra = back.Facts.Extra }, back.Facts);
    }

    [Fact]
    public void A_minimal_heartbeat_gets_empty_defaults()
    {
        var back = Envelope.Parse<Heartbeat>("""{"v":1,"type":"heartbeat","host":"h"}"""u8);
        Assert.Empty(back.Tags);
        Assert.Equal(0, back.Facts.Cpus);
        Assert.Empty(back.Facts.Extra);
    }

    [Theory]
    [InlineData("""{"v":1,"type":"heartbeat","host":"h","tags":["a",null]}""", "tags")]
    [InlineData("""{"v":1,"type":"heartbeat","host":"h","facts":null}""", "facts")]
    [InlineData("""{"v":1,"type":"heartbeat","host":"h","facts":{"extra":{"k":null}}}""", "facts")]
    [InlineData("""{"v":1,"type":"heartbeat","host":"h","facts":{"cpus":"two"}}""", "cpus")]
    public void Nulls_and_wrong_kinds_inside_are_refused(string json, string mentioned)
    {
        var e = Assert.Throws<EnvelopeException>(() => Envelope.Parse<Heartbeat>(Encoding.UTF8.GetBytes(json)));
        Assert.Contains(mentioned, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_host_is_an_error_naming_it()
    {
        var e = Assert.Throws<EnvelopeException>(() => Envelope.Parse<Heartbeat>(Encoding.UTF8.GetBytes("""{"v":1,"type":"heartbeat"}""")));
        Assert.Contains("'host'", e.Message, StringComparison.Ordinal);
    }
}
