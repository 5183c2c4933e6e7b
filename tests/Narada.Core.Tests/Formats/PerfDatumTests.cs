using Narada.Core.Formats;
using Narada.Core.Metrics;

namespace Narada.Core.Tests.Formats;

public sealed class PerfDatumTests
{
    [Theory]
    [InlineData("t=250ms;500;1000;0;2000", 0.25, "s", 0.5, 2d)]
    [InlineData("t=3us", 3e-6, "s", null, null)]
    [InlineData("t=2s;1", 2, "s", 1d, null)]
    [InlineData("m=2KB;1;;0;4", 2048, "B", 1024d, 4096d)]
    [InlineData("m=3MB", 3 * 1048576d, "B", null, null)]
    [InlineData("m=1GB", 1073741824d, "B", null, null)]
    [InlineData("m=1TB", 1099511627776d, "B", null, null)]
    [InlineData("p=45%;80;90;0;100", 45, "%", 80d, 100d)]
    [InlineData("n=7;5", 7, "", 5d, null)]
    [InlineData("c=99c", 99, "c", null, null)]
    public void Base_units_scale_value_thresholds_and_bounds(string text, double value, string uom, double? warnEnd, double? max)
    {
        var datum = Assert.Single(PerfDataParser.Parse(text, [])).ToBaseUnits();

        Assert.Equal(value, datum.Value!.Value, 1e-9);
        Assert.Equal(uom, datum.Uom);
        Assert.Equal(warnEnd, datum.Warning?.End);
        Assert.Equal(max, datum.Max);
    }

    [Theory]
    [InlineData("time=250ms", "http_time_seconds", 0.25, MetricType.Gauge)]
    [InlineData("/=1KB", "http_bytes", 1024, MetricType.Gauge)]
    [InlineData("'pl'=25%", "http_pl_ratio", 0.25, MetricType.Gauge)]
    [InlineData("'in octets'=5c", "http_in_octets_total", 5, MetricType.Counter)]
    [InlineData("users=3", "http_users", 3, MetricType.Gauge)]
    [InlineData("size_bytes=3B", "http_size_bytes", 3, MetricType.Gauge)]
    public void A_sample_has_a_clean_name_a_unit_suffix_and_the_original_label(string text, string name, double value, MetricType type)
    {
        var datum = Assert.Single(PerfDataParser.Parse(text, []));
        var sample = datum.ToSample("http")!;

        Assert.Equal(name, sample.Name);
        Assert.Equal(value, sample.Value, 1e-12);
        Assert.Equal(type, sample.Type);
        Assert.Equal(datum.Label, sample.Labels["label"]);
        Assert.True(MetricName.IsValid(sample.Name));
    }

    [Fact]
    public void An_unknown_value_gives_no_sample()
    {
        Assert.Null(new PerfDatum("rta", null, "ms").ToSample("ping"));
    }
}
