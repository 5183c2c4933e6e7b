using CsCheck;
using Narada.Core.Formats;

namespace Narada.Core.Tests.Formats;

/// <summary>Whatever a plugin prints, parsers either succeed or throw their one documented error.</summary>
public sealed class ParserPropertyTests
{
    // Characters that matter to some grammar, so generated text reaches deep into the parsers, plus anything at all.
    private static readonly Gen<string> Text = Gen.OneOf(
        Gen.String,
        Gen.Char["abc_09.:-+eEiuUtf'\"=;|@~%,{}[]#\\ \t\n\r/NaInf"].Array[0, 80].Select(a => new string(a)),
        Gen.Const("a{b=\"c\"} 1\n# TYPE a gauge\nx,t=1 f=2i 3\n{\"metrics\":[{\"name\":\"n\",\"value\":1}]}\n'l'=1ms;2;3;4;5")
            .SelectMany(seed => Gen.Int[0, seed.Length].SelectMany(cut => Gen.String[0, 10].Select(noise => seed[..cut] + noise + seed[cut..]))));

    [Fact]
    public void Nagios_never_throws()
    {
        Gen.Select(Text, Gen.Int).Sample((stdout, exitCode) =>
        {
            var parsed = NagiosOutputParser.Parse(exitCode, stdout);
            Assert.True(Enum.IsDefined(parsed.Status));
            foreach (var datum in parsed.PerfData)
                Assert.True(MetricName.IsValid(datum.ToSample("c")?.Name ?? "ok"));
        }, iter: 5000);
    }

    [Fact]
    public void Plugin_output_never_throws_in_any_format()
    {
        Gen.Select(Gen.Enum<OutputFormat>(), Gen.Int[-2, 300], Text, Text).Sample((format, exitCode, stdout, stderr) =>
        {
            var parsed = PluginOutput.Parse(format, exitCode, stdout, stderr);
            Assert.True(Enum.IsDefined(parsed.Status));
            Assert.All(parsed.Samples, s => Assert.True(MetricName.IsValid(s.Name), s.Name));
        }, iter: 5000);
    }

    [Fact]
    public void Metric_parsers_throw_only_metric_format_exceptions()
    {
        Text.Sample(text =>
        {
            foreach (var parse in (Func<string, object>[])[PrometheusTextParser.Parse, GraphiteParser.Parse, InfluxLineParser.Parse, JsonSamplesParser.Parse])
            {
                try
                {
                    parse(text);
                }
                catch (MetricFormatException e)
                {
                    Assert.False(string.IsNullOrEmpty(e.Reason));
                }
            }
        }, iter: 5000);
    }

    [Fact]
    public void Threshold_ranges_never_throw_from_try_parse()
    {
        Text.Sample(text => { ThresholdRange.TryParse(text, out _); }, iter: 5000);
    }
}
