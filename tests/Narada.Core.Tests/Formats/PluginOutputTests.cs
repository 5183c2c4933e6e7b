using Narada.Core.Formats;

namespace Narada.Core.Tests.Formats;

public sealed class PluginOutputTests
{
    [Fact]
    public async Task A_real_check_load_becomes_samples_in_base_units()
    {
        var run = await RealPlugin.RunAsync("check_load", "-w", "50,40,30", "-c", "100,80,60");
        var parsed = PluginOutput.Parse(OutputFormat.Nagios, run.ExitCode, run.Stdout, run.Stderr, "load");

        Assert.Equal((CheckStatus)run.ExitCode, parsed.Status);
        Assert.Equal(["load_load1", "load_load5", "load_load15"], parsed.Samples.Select(s => s.Name));
        Assert.Equal(parsed.PerfData.Select(p => p.Value!.Value), parsed.Samples.Select(s => s.Value));
    }

    [Fact]
    public async Task A_real_check_disk_gives_bytes_under_a_clean_name()
    {
        var run = await RealPlugin.RunAsync("check_disk", "-w", "20%", "-c", "10%", "-p", "/");
        var parsed = PluginOutput.Parse(OutputFormat.Nagios, run.ExitCode, run.Stdout, run.Stderr, "disk-root");

        var sample = Assert.Single(parsed.Samples);
        Assert.Equal("disk_root_bytes", sample.Name);
        Assert.Equal("/", sample.Labels["label"]);
        Assert.Equal(parsed.PerfData[0].Value, sample.Value);
    }

    [Fact]
    public void Nagios_with_only_stderr_says_so()
    {
        var parsed = PluginOutput.Parse(OutputFormat.Nagios, 127, "", "execvp: No such file or directory\n");
        Assert.Equal(CheckStatus.Unknown, parsed.Status);
        Assert.Equal("(no output on stdout) stderr: execvp: No such file or directory", parsed.Output);
    }

    [Theory]
    [InlineData(0, CheckStatus.Ok)]
    [InlineData(1, CheckStatus.Critical)]
    [InlineData(2, CheckStatus.Critical)]
    [InlineData(-1, CheckStatus.Critical)]
    public void Text_output_is_ok_only_on_exit_0(int exitCode, CheckStatus status)
    {
        var parsed = PluginOutput.Parse(OutputFormat.Text, exitCode, "first line\nsecond\nthird\n", "");
        Assert.Equal(status, parsed.Status);
        Assert.Equal("first line", parsed.Output);
        Assert.Equal("second\nthird", parsed.LongOutput);
        Assert.Empty(parsed.Samples);
    }

    [Theory]
    [InlineData(OutputFormat.Prometheus, "a 1\nb{x=\"y\"} 2\n")]
    [InlineData(OutputFormat.Graphite, "a 1 1700000000\nb;x=y 2\n")]
    [InlineData(OutputFormat.Influx, "a value=1\nb,x=y value=2\n")]
    [InlineData(OutputFormat.Json, """{"a":1,"b":2}""")]
    public void Metric_formats_are_ok_with_their_samples(OutputFormat format, string stdout)
    {
        var parsed = PluginOutput.Parse(format, 0, stdout, "");
        Assert.Equal(CheckStatus.Ok, parsed.Status);
        Assert.Equal(2, parsed.Samples.Count);
        Assert.Equal("2 samples", parsed.Output);
        Assert.Empty(parsed.Notes);
    }

    [Theory]
    [InlineData(OutputFormat.Prometheus)]
    [InlineData(OutputFormat.Graphite)]
    [InlineData(OutputFormat.Influx)]
    [InlineData(OutputFormat.Json)]
    public void Unparseable_metrics_are_unknown_with_the_error(OutputFormat format)
    {
        var parsed = PluginOutput.Parse(format, 0, "{{{ not metrics at all \"\n", "");
        Assert.Equal(CheckStatus.Unknown, parsed.Status);
        Assert.Empty(parsed.Samples);
        Assert.Contains("line 1", Assert.Single(parsed.Notes), StringComparison.Ordinal);
    }

    [Fact]
    public void A_failing_collector_is_unknown_and_quotes_stderr()
    {
        var parsed = PluginOutput.Parse(OutputFormat.Prometheus, 2, "partial 1\n", "cannot reach mysqld\n");
        Assert.Equal(CheckStatus.Unknown, parsed.Status);
        Assert.Equal("exit code 2: cannot reach mysqld", parsed.Output);
        Assert.Single(parsed.Samples);
    }
}
