using System.Text;
using Narada.Core.Metrics;
using Narada.Plugins.System.Parsing;

namespace Narada.Plugins.System;

/// <summary>
/// <c>system.memory</c>: every field of <c>/proc/meminfo</c> as <c>node_memory_&lt;Field&gt;_bytes</c> (kB turned into
/// bytes), or <c>node_memory_&lt;Field&gt;</c> for unitless fields such as HugePages_Total, as node_exporter names them.
/// </summary>
public sealed class MemoryCollector : ProcCollector
{
    private readonly string _meminfoPath;

    private sealed record Field(string Name, string Help, MetricType Type, double Scale);

    // Field names are keyed with their unit so "X: 5" and "X: 5 kB" (never both in practice) cannot collide.
    private readonly LabelCache<Field> _withUnit = new(key => Describe(key, hasUnit: true));
    private readonly LabelCache<Field> _withoutUnit = new(key => Describe(key, hasUnit: false));

    public MemoryCollector(SystemPaths? paths = null) : base(paths ?? SystemPaths.Default) =>
        _meminfoPath = Paths.ProcFile("meminfo");

    public override string Name => "memory";

    public override string Description => "Memory and swap usage, every /proc/meminfo field in bytes";

    private protected override int ExpectedSamples => 64;

    internal override void AppendTo(List<Sample> samples)
    {
        using var text = ProcFile.Read(_meminfoPath);
        var lines = new LineReader(text.Span);
        while (lines.TryRead(out var line))
        {
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
                continue;
            var key = line[..colon];
            if (key.IndexOfAny(" \t"u8) >= 0)
                continue;
            var fields = new FieldReader(line[(colon + 1)..]);
            if (!fields.TryNextUInt64(out var value))
                continue;
            Field field;
            if (!fields.TryNext(out var unit))
                field = _withoutUnit.Get(key);
            else if (unit.SequenceEqual("kB"u8) && !fields.TryNext(out _))
                field = _withUnit.Get(key);
            else
                continue;
            samples.Add(new Sample(field.Name, value * field.Scale) { Help = field.Help, Type = field.Type });
        }
    }

    private static Field Describe(string key, bool hasUnit)
    {
        var name = "node_memory_" + Sanitize(key) + (hasUnit ? "_bytes" : "");
        // node_exporter types a field by its name alone: only a "_total" suffix makes a counter.
        var type = name.EndsWith("_total", StringComparison.Ordinal) ? MetricType.Counter : MetricType.Gauge;
        return new Field(name, "Memory information field " + Sanitize(key) + (hasUnit ? "_bytes." : "."), type,
            hasUnit ? 1024 : 1);
    }

    /// <summary>Active(anon) becomes Active_anon; anything else outside [A-Za-z0-9_] becomes an underscore.</summary>
    internal static string Sanitize(string key)
    {
        var builder = new StringBuilder(key.Length + 1);
        foreach (var c in key)
        {
            if (c == '(')
                builder.Append('_');
            else if (c == ')')
                continue;
            else
                builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }
        return builder.ToString();
    }
}
