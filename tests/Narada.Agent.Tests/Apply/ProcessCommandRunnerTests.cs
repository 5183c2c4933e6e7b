using System.Diagnostics;
using System.Globalization;
using Narada.Agent.Apply;
using Narada.Testing;

namespace Narada.Agent.Tests.Apply;

[Trait("Category", "Peers")]
public sealed class ProcessCommandRunnerTests
{
    private readonly ProcessCommandRunner _runner = new();

    [Fact]
    public async Task Captures_stdout_then_stderr_and_the_exit_code()
    {
        var outcome = await _runner.RunAsync([ApplyFixture.Jq, "-n", "\"out\", (\"err\" | stderr), halt_error(3)"], TimeSpan.FromSeconds(10));

        Assert.Equal(3, outcome.ExitCode);
        Assert.False(outcome.Succeeded);
        Assert.StartsWith("\"out\"\n", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("\"err\"", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Arguments_reach_the_program_verbatim_without_a_shell()
    {
        var outcome = await _runner.RunAsync(["/bin/echo", "$HOME", "a;b", "*"], TimeSpan.FromSeconds(10));

        Assert.True(outcome.Succeeded);
        Assert.Equal("$HOME a;b *\n", outcome.Output);
    }

    [Fact]
    public async Task Output_is_capped_and_the_program_still_finishes()
    {
        var seq = RequiredTool.Path("seq", "coreutils");

        var outcome = await _runner.RunAsync([seq, "1", "200000"], TimeSpan.FromSeconds(10));

        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(ProcessCommandRunner.OutputLimit, outcome.Output.Length);
        Assert.StartsWith("1\n2\n3\n", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hung_command_is_killed_with_its_children_at_the_timeout()
    {
        var clock = Stopwatch.StartNew();

        var outcome = await _runner.RunAsync(["/bin/sh", "-c", "sleep 60 & echo $!; wait"], TimeSpan.FromMilliseconds(500));

        Assert.True(outcome.TimedOut);
        Assert.Null(outcome.ExitCode);
        Assert.Equal("timed out and was killed", outcome.Describe());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"took {clock.Elapsed}");
        var child = int.Parse(outcome.Output.Trim(), CultureInfo.InvariantCulture);
        await Retry.UntilAsync(() => IsGone(child), $"child sleep {child} killed");
    }

    /// <summary>Exited, or a zombie waiting for a parent that is already dead.</summary>
    private static bool IsGone(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }

    [Fact]
    public async Task A_missing_program_is_reported_not_thrown()
    {
        var outcome = await _runner.RunAsync(["/nonexistent/validator", "x"], TimeSpan.FromSeconds(10));

        Assert.False(outcome.Succeeded);
        Assert.NotNull(outcome.StartError);
        Assert.StartsWith("could not start: ", outcome.Describe(), StringComparison.Ordinal);
    }
}
