using Narada.Chaos.Scenarios;

namespace Narada.Chaos.Tests;

/// <summary>The short <c>hung-plugin</c>: a plugin that never ends is killed at its timeout and reported, and the
/// agent's other checks go on meanwhile.</summary>
[Trait("Category", "Peers")]
[Collection("chaos")]
public sealed class HungPluginTests
{
    [Fact]
    public async Task A_hung_plugin_is_killed_at_its_timeout_and_the_other_checks_go_on()
    {
        var f = await HungPlugin.RunAsync(HungPlugin.Options.Short);

        Assert.True(f.HungRuns > 0 && f.HungResults > 0, $"no hung run reported: {f}");
        Assert.True(f.SurvivedTimeout == 0, $"{f.SurvivedTimeout} hung runs outlived their timeout while the agent lived");
        Assert.True(f.FastLongestGapMs < 5_000, $"the quick check paused {f.FastLongestGapMs} ms beside the hung one");
        Assert.Equal(0, f.LeftoverProcesses);
    }
}
