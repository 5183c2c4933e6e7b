using System.Globalization;
using System.Text.RegularExpressions;
using Narada.Core.Formats;

namespace Narada.Core.Tests.Formats;

public sealed partial class NagiosOutputParserTests
{
    [Fact]
    public async Task Check_disk_perfdata_matches_the_filesystem_and_the_thresholds_asked_for()
    {
        var run = await RealPlugin.RunAsync("check_disk", "-w", "20%", "-c", "10%", "-p", "/");
        var parsed = NagiosOutputParser.Parse(run.ExitCode, run.Stdout);

        Assert.Equal((CheckStatus)run.ExitCode, parsed.Status);
        Assert.StartsWith("DISK ", parsed.Output);
        Assert.Empty(parsed.Notes);
        var root = Assert.Single(parsed.PerfData);
        Assert.Equal("/", root.Label);
        Assert.Equal("B", root.Uom);
        Assert.Equal(0, root.Min);
        var total = root.Max!.Value;
        var drive = new DriveInfo("/");
        Assert.InRange(total, drive.TotalSize * 0.99, drive.TotalSize * 1.01);
        Assert.InRange(root.Value!.Value, 0, total);
        // -w 20% free means "warn when used exceeds 80% of the disk"; likewise 90% for critical.
        Assert.InRange(root.Warning!.End / total, 0.799, 0.801);
        Assert.InRange(root.Critical!.End / total, 0.899, 0.901);
        Assert.False(root.Warning.Inside);
        Assert.Equal(root.Value > root.Warning.End, root.Warning.Alerts(root.Value.Value));
    }

    [Fact]
    public async Task Check_load_perfdata_equals_the_load_averages_in_its_text()
    {
        var run = await RealPlugin.RunAsync("check_load", "-w", "50,40,30", "-c", "100,80,60");
        var parsed = NagiosOutputParser.Parse(run.ExitCode, run.Stdout);

        Assert.Equal((CheckStatus)run.ExitCode, parsed.Status);
        var said = LoadAverages().Match(parsed.Output);
        Assert.True(said.Success, parsed.Output);
        Assert.Equal(["load1", "load5", "load15"], parsed.PerfData.Select(p => p.Label));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(Number(said.Groups[i + 1].Value), parsed.PerfData[i].Value);
            Assert.Equal("", parsed.PerfData[i].Uom);
        }
        Assert.Equal([50d, 40, 30], parsed.PerfData.Select(p => p.Warning!.End));
        Assert.Equal([100d, 80, 60], parsed.PerfData.Select(p => p.Critical!.End));
        // The machine may be busy: the status must follow from the thresholds the parsed ranges describe.
        var expected = parsed.PerfData.Any(p => p.Critical!.Alerts(p.Value!.Value)) ? CheckStatus.Critical
            : parsed.PerfData.Any(p => p.Warning!.Alerts(p.Value!.Value)) ? CheckStatus.Warning : CheckStatus.Ok;
        Assert.Equal(expected, parsed.Status);
    }

    [Theory]
    [InlineData(0, "OK")]
    [InlineData(1, "WARNING")]
    [InlineData(2, "CRITICAL")]
    [InlineData(3, "UNKNOWN")]
    public async Task Check_dummy_status_comes_from_its_exit_code(int state, string word)
    {
        var run = await RealPlugin.RunAsync("check_dummy", state.ToString(CultureInfo.InvariantCulture), "narada was here");
        var parsed = NagiosOutputParser.Parse(run.ExitCode, run.Stdout);

        Assert.Equal(state, run.ExitCode);
        Assert.Equal((CheckStatus)state, parsed.Status);
        Assert.Equal($"{word}: narada was here", parsed.Output);
        Assert.Empty(parsed.PerfData);
        Assert.Empty(parsed.Notes);
    }

    [Fact]
    public async Task Check_procs_count_equals_the_number_in_its_text()
    {
        var run = await RealPlugin.RunAsync("check_procs");
        var parsed = NagiosOutputParser.Parse(run.ExitCode, run.Stdout);

        var count = Regex.Match(parsed.Output, @"(\d+) process");
        Assert.True(count.Success, parsed.Output);
        var procs = Assert.Single(parsed.PerfData);
        Assert.Equal("procs", procs.Label);
        Assert.Equal(Number(count.Groups[1].Value), procs.Value);
        Assert.Equal(0, procs.Min);
    }

    [Fact]
    public async Task Check_users_count_equals_the_number_in_its_text()
    {
        var run = await RealPlugin.RunAsync("check_users", "-w", "5", "-c", "10");
        var parsed = NagiosOutputParser.Parse(run.ExitCode, run.Stdout);

        var count = Regex.Match(parsed.Output, @"(\d+) users");
        Assert.True(count.Success, parsed.Output);
        var users = Assert.Single(parsed.PerfData);
        Assert.Equal("users", users.Label);
        Assert.Equal(Number(count.Groups[1].Value), users.Value);
        Assert.Equal(new ThresholdRange(0, 5, false), users.Warning);
        Assert.Equal(new ThresholdRange(0, 10, false), users.Critical);
    }

    [Fact]
    public async Task Check_swap_free_bytes_agree_with_the_megabytes_in_its_text()
    {
        var run = await RealPlugin.RunAsync("check_swap", "-w", "20%", "-c", "10%");
        var parsed = NagiosOutputParser.Parse(run.ExitCode, run.Stdout);

        Assert.Equal((CheckStatus)run.ExitCode, parsed.Status);
        var said = Regex.Match(parsed.Output, @"\((\d+) ?MB out of (\d+) ?MB\)");
        Assert.True(said.Success, parsed.Output);
        var swap = Assert.Single(parsed.PerfData);
        Assert.Equal("swap", swap.Label);
        var based = swap.ToBaseUnits();
        Assert.Equal("B", based.Uom);
        const double MiB = 1024 * 1024;
        Assert.InRange(based.Value!.Value / MiB, Number(said.Groups[1].Value) - 1, Number(said.Groups[1].Value) + 1);
        Assert.InRange(based.Max!.Value / MiB, Number(said.Groups[2].Value) - 1, Number(said.Groups[2].Value) + 1);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(127)]
    [InlineData(-9)]
    public void An_exit_code_outside_0_to_3_is_unknown_and_says_why(int exitCode)
    {
        var parsed = NagiosOutputParser.Parse(exitCode, "OK - all fine|a=1");

        Assert.Equal(CheckStatus.Unknown, parsed.Status);
        Assert.Contains(parsed.Notes, n => n.Contains($"exit code {exitCode}", StringComparison.Ordinal));
        Assert.Equal("OK - all fine", parsed.Output);
        Assert.Single(parsed.PerfData);
    }

    [Fact]
    public void Long_output_and_perfdata_follow_the_nagios_3_layout()
    {
        const string stdout = "DISK OK - free space: / 3326 MB (56%); | /=2643MB;5948;5958;0;5968\n"
            + "/ 15272 MB (77%);\n"
            + "/boot 68 MB (69%);\n"
            + "/home 69357 MB (27%);\n"
            + "/var/log 819 MB (84%); | /boot=68MB;88;93;0;98\n"
            + "/home=69357MB;253404;253409;0;253414\n"
            + "/var/log=818MB;970;975;0;980\n";
        var parsed = NagiosOutputParser.Parse(0, stdout);

        Assert.Equal("DISK OK - free space: / 3326 MB (56%);", parsed.Output);
        Assert.Equal("/ 15272 MB (77%);\n/boot 68 MB (69%);\n/home 69357 MB (27%);\n/var/log 819 MB (84%);", parsed.LongOutput);
        Assert.Equal(["/", "/boot", "/home", "/var/log"], parsed.PerfData.Select(p => p.Label));
        Assert.Equal([2643d, 68, 69357, 818], parsed.PerfData.Select(p => p.Value!.Value));
        Assert.Equal(980, parsed.PerfData[3].Max);
        Assert.Empty(parsed.Notes);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("\n\n", "")]
    [InlineData("only text", "only text")]
    [InlineData("text with trailing bar |", "text with trailing bar")]
    [InlineData("windows line\r\nsecond\r\n", "windows line")]
    public void First_line_is_the_output_whatever_the_shape(string stdout, string output)
    {
        var parsed = NagiosOutputParser.Parse(0, stdout);
        Assert.Equal(output, parsed.Output);
        Assert.Empty(parsed.PerfData);
        Assert.Equal(output.Length == 0, parsed.Notes.Any(n => n.Contains("no output", StringComparison.Ordinal)));
    }

    private static double Number(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"load average: ([\d.]+), ([\d.]+), ([\d.]+)")]
    private static partial Regex LoadAverages();
}
