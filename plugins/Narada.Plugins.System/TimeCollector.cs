using System.Runtime.InteropServices;
using Narada.Core.Metrics;
using Narada.Plugins.System.Native;
using Narada.Plugins.System.Parsing;

namespace Narada.Plugins.System;

/// <summary>
/// <c>system.time</c>: the wall clock (<c>node_time_seconds</c>), the local zone's abbreviation and UTC offset as libc
/// resolves them (TZ, else /etc/localtime: the same answer node_exporter's Go runtime finds), and the kernel's
/// clocksources from <c>/sys/devices/system/clocksource/clocksource&lt;N&gt;</c>, as node_exporter's time collector names them.
/// </summary>
public sealed class TimeCollector : ProcCollector
{
    private const string Prefix = "clocksource";

    private readonly string _clocksourceDirectory;
    private readonly LabelCache<Clocksource> _clocksources;
    private readonly TextCache<IReadOnlyDictionary<string, string>> _zoneLabels = new(z => LabelSet.Of("time_zone", z));

    static TimeCollector()
    {
        // localtime_r need not read TZ itself; tzset once is what a process that never changes its zone needs.
        try
        {
            LibC.TzSet();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // AppendTo reports the same failure for the zone series.
        }
    }

    public TimeCollector(SystemPaths? paths = null) : base(paths ?? SystemPaths.Default)
    {
        _clocksourceDirectory = Paths.SysFile("devices/system/clocksource");
        _clocksources = new LabelCache<Clocksource>(name => new Clocksource(Path.Combine(_clocksourceDirectory, name), name[Prefix.Length..]));
    }

    public override string Name => "time";

    public override string Description => "System time, time zone offset, available and current clocksource";

    private protected override int ExpectedSamples => 6;

    internal override void AppendTo(List<Sample> samples)
    {
        var now = DateTime.UtcNow;
        samples.Add(Gauge("node_time_seconds", (now - DateTime.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond,
            "System time in seconds since epoch (1970)."));
        AppendZone(samples, (long)(now - DateTime.UnixEpoch).TotalSeconds);
        if (!Directory.Exists(_clocksourceDirectory))
            return; // node_exporter reports none too, and succeeds
        var devices = new List<Clocksource>(2);
        SysfsDirectory.Collect(_clocksourceDirectory, _clocksources, IsClocksource, devices);
        foreach (var device in devices)
            device.AppendTo(samples);
    }

    private unsafe void AppendZone(List<Sample> samples, long secondsSinceEpoch)
    {
        if (LibC.LocalTime(secondsSinceEpoch, out var local) == 0 || local.ZoneAbbreviation == 0)
            throw new IOException("localtime_r cannot resolve the local time zone");
        var zone = MemoryMarshal.CreateReadOnlySpanFromNullTerminated((byte*)local.ZoneAbbreviation);
        samples.Add(Gauge("node_time_zone_offset_seconds", local.UtcOffsetSeconds, "System time zone offset in seconds.", _zoneLabels.Get(zone)));
    }

    /// <summary><c>clocksource</c> followed by digits only, as node_exporter's <c>clocksource[0-9]*</c> glob.</summary>
    private static bool IsClocksource(ReadOnlySpan<char> name) =>
        name.Length > Prefix.Length && name.StartsWith(Prefix, StringComparison.Ordinal) && char.IsAsciiDigit(name[Prefix.Length]);

    /// <summary>One clocksource device; its samples are rebuilt only when the kernel's lists change.</summary>
    private sealed class Clocksource
    {
        private readonly string _availablePath;
        private readonly string _currentPath;
        private readonly TextCache<Sample[]> _available;
        private readonly TextCache<Sample> _current;

        public Clocksource(string directory, string device)
        {
            _availablePath = Path.Combine(directory, "available_clocksource");
            _currentPath = Path.Combine(directory, "current_clocksource");
            _available = new TextCache<Sample[]>(list => Array.ConvertAll(
                list.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                name => Gauge("node_time_clocksource_available_info", 1, "Available clocksources read from '/sys/devices/system/clocksource'.",
                    LabelSet.Of("clocksource", name, "device", device))));
            _current = new TextCache<Sample>(name => Gauge("node_time_clocksource_current_info", 1,
                "Current clocksource read from '/sys/devices/system/clocksource'.", LabelSet.Of("clocksource", name, "device", device)));
        }

        public void AppendTo(List<Sample> samples)
        {
            // A device whose lists cannot be read is left out; the others still report.
            if (ProcFile.TryRead(_availablePath, out var available))
                using (available)
                    samples.AddRange(_available.Get(SysfsValue.Trim(available.Span)));
            if (ProcFile.TryRead(_currentPath, out var current))
                using (current)
                    if (SysfsValue.Trim(current.Span) is { IsEmpty: false } name)
                        samples.Add(_current.Get(name));
        }
    }
}
