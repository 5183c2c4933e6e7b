using Narada.Core.Metrics;
using Narada.Plugins.System.Parsing;

namespace Narada.Plugins.System;

/// <summary>
/// <c>system.netclass</c>: each interface's properties from <c>/sys/class/net/&lt;iface&gt;</c>, as node_exporter's
/// netclass collector (sysfs, its default) names them: <c>node_network_info</c>, <c>node_network_up</c> and one
/// <c>node_network_&lt;property&gt;</c> per numeric file. A file the kernel refuses to read (EINVAL for the speed or
/// carrier of a link that is down or virtual) leaves its series out, as node_exporter does; speed is reported as the
/// kernel gives it, −1 (unknown) becoming −125000 bytes/s, since node_exporter does not ignore invalid speeds by default.
/// </summary>
public sealed class NetClassCollector : ProcCollector
{
    private readonly record struct Property(string File, string Name, MetricType Type, long Multiplier = 1)
    {
        public string Help => "Network device property: " + Name[("node_network_".Length)..];
    }

    // Mbit/s → bytes/s, in integers as node_exporter computes it.
    private const long SpeedBytesPerMegabit = 1000 * 1000 / 8;

    private static readonly Property[] Properties =
    [
        new("addr_assign_type", "node_network_address_assign_type", MetricType.Gauge),
        new("carrier", "node_network_carrier", MetricType.Gauge),
        new("carrier_changes", "node_network_carrier_changes_total", MetricType.Counter),
        new("carrier_up_count", "node_network_carrier_up_changes_total", MetricType.Counter),
        new("carrier_down_count", "node_network_carrier_down_changes_total", MetricType.Counter),
        new("dev_id", "node_network_device_id", MetricType.Gauge),
        new("dormant", "node_network_dormant", MetricType.Gauge),
        new("flags", "node_network_flags", MetricType.Gauge),
        new("ifindex", "node_network_iface_id", MetricType.Gauge),
        new("iflink", "node_network_iface_link", MetricType.Gauge),
        new("link_mode", "node_network_iface_link_mode", MetricType.Gauge),
        new("mtu", "node_network_mtu_bytes", MetricType.Gauge),
        new("name_assign_type", "node_network_name_assign_type", MetricType.Gauge),
        new("netdev_group", "node_network_net_dev_group", MetricType.Gauge),
        new("speed", "node_network_speed_bytes", MetricType.Gauge, SpeedBytesPerMegabit),
        new("tx_queue_len", "node_network_transmit_queue_length", MetricType.Gauge),
        new("type", "node_network_protocol_type", MetricType.Gauge),
    ];

    private static readonly string[] Helps = Array.ConvertAll(Properties, p => p.Help);

    private const string InfoHelp = "Non-numeric data from /sys/class/net/<iface>, value is always 1.";
    private const string UpHelp = "Value is 1 if operstate is 'up', 0 otherwise.";

    private readonly string _classNet;
    private readonly LabelCache<Interface> _interfaces;

    public NetClassCollector(SystemPaths? paths = null) : base(paths ?? SystemPaths.Default)
    {
        _classNet = Paths.SysFile("class/net");
        _interfaces = new LabelCache<Interface>(name => new Interface(Path.Combine(_classNet, name), name));
    }

    public override string Name => "netclass";

    public override string Description => "Network interface properties: state, carrier, MTU, speed, flags, addresses (/sys/class/net)";

    private protected override int ExpectedSamples => 4 * (Properties.Length + 2);

    internal override void AppendTo(List<Sample> samples)
    {
        var interfaces = new List<Interface>(8);
        SysfsDirectory.Collect(_classNet, _interfaces, static _ => true, interfaces);
        foreach (var iface in interfaces)
            iface.AppendTo(samples);
    }

    /// <summary>One interface's file paths and label set, kept while it exists; its info sample is rebuilt only when its text changes.</summary>
    private sealed class Interface
    {
        private readonly string[] _propertyPaths;
        private readonly string _address, _broadcast, _duplex, _ifalias, _operstate;
        private readonly IReadOnlyDictionary<string, string> _labels;
        private readonly TextCache<string> _addressText = new(t => t), _broadcastText = new(t => t), _duplexText = new(t => t),
            _ifaliasText = new(t => t), _operstateText = new(t => t);
        private readonly string _device;
        private Sample? _info;

        public Interface(string directory, string device)
        {
            _device = device;
            _labels = LabelSet.Of("device", device);
            _propertyPaths = Array.ConvertAll(Properties, p => Path.Combine(directory, p.File));
            _address = Path.Combine(directory, "address");
            _broadcast = Path.Combine(directory, "broadcast");
            _duplex = Path.Combine(directory, "duplex");
            _ifalias = Path.Combine(directory, "ifalias");
            _operstate = Path.Combine(directory, "operstate");
        }

        public void AppendTo(List<Sample> samples)
        {
            var address = Text(_address, _addressText);
            var broadcast = Text(_broadcast, _broadcastText);
            var duplex = Text(_duplex, _duplexText);
            var ifalias = Text(_ifalias, _ifaliasText);
            var operstate = Text(_operstate, _operstateText);
            samples.Add(Info(address, broadcast, duplex, ifalias, operstate));
            samples.Add(new Sample("node_network_up", operstate == "up" ? 1 : 0) { Help = UpHelp, Labels = _labels });
            for (var i = 0; i < Properties.Length; i++)
            {
                if (!SysfsValue.TryReadInt64(_propertyPaths[i], out var value))
                    continue;
                var property = Properties[i];
                samples.Add(new Sample(property.Name, value * property.Multiplier) { Help = Helps[i], Type = property.Type, Labels = _labels });
            }
        }

        /// <summary>The info sample, reused while the five strings are the same ones (the text caches hand back the same instances).</summary>
        private Sample Info(string address, string broadcast, string duplex, string ifalias, string operstate)
        {
            var info = Volatile.Read(ref _info);
            if (info is not null && ReferenceEquals(info.Labels["address"], address) && ReferenceEquals(info.Labels["broadcast"], broadcast)
                && ReferenceEquals(info.Labels["duplex"], duplex) && ReferenceEquals(info.Labels["ifalias"], ifalias)
                && ReferenceEquals(info.Labels["operstate"], operstate))
                return info;
            info = new Sample("node_network_info", 1)
            {
                Help = InfoHelp,
                Labels = new Dictionary<string, string>(6, StringComparer.Ordinal)
                {
                    ["address"] = address,
                    ["broadcast"] = broadcast,
                    ["device"] = _device,
                    ["duplex"] = duplex,
                    ["ifalias"] = ifalias,
                    ["operstate"] = operstate,
                },
            };
            Volatile.Write(ref _info, info);
            return info;
        }

        /// <summary>A text property; empty when the kernel will not give it (duplex of a virtual link), as node_exporter leaves it.</summary>
        private static string Text(string path, TextCache<string> cache)
        {
            if (!ProcFile.TryRead(path, out var text))
                return "";
            using (text)
                return cache.Get(SysfsValue.Trim(text.Span));
        }
    }
}
