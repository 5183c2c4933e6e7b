using Narada.Core.Formats;

namespace Narada.Core.Tests.Formats;

public sealed class PerfDataParserTests
{
    public static TheoryData<string, string, double?, string> SingleItems => new()
    {
        // text, label, value, uom
        { "load1=0.5", "load1", 0.5, "" },
        { "'quoted label'=3", "quoted label", 3, "" },
        { "'it''s'=1", "it's", 1, "" },
        { "'a=b'=2s", "a=b", 2, "s" },
        { "time=12.445000ms;;;0;", "time", 12.445, "ms" },
        { "rta=U;100;200", "rta", null, "" },
        { "pl=0%", "pl", 0, "%" },
        { "size=-3.5e2KB", "size", -350, "KB" },
        { "io=12c", "io", 12, "c" },
        { "up=7us", "up", 7, "us" },
        { "disk=1.5TB;;;;", "disk", 1.5, "TB" },
        { "x=.5", "x", 0.5, "" },
        { "/var/log=818MB;970;975;0;980", "/var/log", 818, "MB" },
    };

    [Theory]
    [MemberData(nameof(SingleItems))]
    public void One_item_is_read_as_the_guidelines_describe(string text, string label, double? value, string uom)
    {
        var notes = new List<string>();
        var datum = Assert.Single(PerfDataParser.Parse(text, notes));

        Assert.Equal(label, datum.Label);
        Assert.Equal(value, datum.Value);
        Assert.Equal(uom, datum.Uom);
        Assert.Empty(notes);
    }

    [Fact]
    public void All_five_fields_with_ranges_are_kept()
    {
        var datum = Assert.Single(PerfDataParser.Parse("'db conns'=42;@10:20;~:50;0;100", []));

        Assert.Equal(new ThresholdRange(10, 20, Inside: true), datum.Warning);
        Assert.Equal(new ThresholdRange(double.NegativeInfinity, 50, Inside: false), datum.Critical);
        Assert.Equal(0, datum.Min);
        Assert.Equal(100, datum.Max);
    }

    [Fact]
    public void Several_items_separated_by_any_whitespace()
    {
        var items = PerfDataParser.Parse("  a=1  'b c'=2;3\t d=4;;;;  \n e=5 ", []);
        Assert.Equal(["a", "b c", "d", "e"], items.Select(i => i.Label));
        Assert.Equal([1d, 2, 4, 5], items.Select(i => i.Value!.Value));
    }

    [Theory]
    [InlineData("broken a=1 b=2", "broken")]
    [InlineData("a=1 c=notanumber b=2", "c=notanumber")]
    [InlineData("a=1 'unterminated=3", "'unterminated=3")]
    [InlineData("a=1 =5 b=2", "=5")]
    [InlineData("a=1 d=1,5 b=2", "d=1,5")]
    [InlineData("a=1 'q'x=1 b=2", "'q'x=1")]
    public void A_broken_item_is_skipped_with_a_note_and_the_rest_kept(string text, string broken)
    {
        var notes = new List<string>();
        var items = PerfDataParser.Parse(text, notes);

        Assert.Contains("a", items.Select(i => i.Label));
        Assert.DoesNotContain(items, i => broken.Contains(i.Label, StringComparison.Ordinal) && i.Label.Length > 1);
        Assert.Contains(notes, n => n.Contains(broken, StringComparison.Ordinal));
        if (!broken.StartsWith('\''))
            Assert.Contains("b", items.Select(i => i.Label));
    }

    [Fact]
    public void Bad_optional_fields_are_dropped_but_the_item_kept()
    {
        var notes = new List<string>();
        var datum = Assert.Single(PerfDataParser.Parse("a=1;20:10;x;min;5;6;7", notes));

        Assert.Equal(1, datum.Value);
        Assert.Null(datum.Warning);
        Assert.Null(datum.Critical);
        Assert.Null(datum.Min);
        Assert.Equal(5, datum.Max);
        Assert.Equal(4, notes.Count);
    }

    [Fact]
    public void An_unknown_unit_is_kept_with_a_note()
    {
        var notes = new List<string>();
        var datum = Assert.Single(PerfDataParser.Parse("temp=21degC", notes));
        Assert.Equal("degC", datum.Uom);
        Assert.Equal(datum, datum.ToBaseUnits());
        Assert.Single(notes);
    }
}
