using Narada.Controller.State;
using Narada.Core.Formats;

namespace Narada.Controller.Tests.State;

public class CheckStateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static CheckState NewState(int attempts) => new("disk", "web01", attempts, T0);

    [Fact]
    public void A_problem_turns_hard_only_after_the_configured_attempts()
    {
        var state = NewState(3);
        var first = state.Apply(CheckStatus.Critical, "disk full", T0.AddMinutes(1));
        var second = state.Apply(CheckStatus.Critical, "disk full", T0.AddMinutes(2));
        var third = state.Apply(CheckStatus.Critical, "disk full", T0.AddMinutes(3));
        var fourth = state.Apply(CheckStatus.Critical, "disk full", T0.AddMinutes(4));

        Assert.Equal((StateType.Soft, 1, false), (first.Type, first.Attempt, first.HardChange));
        Assert.Equal((StateType.Soft, 2, false), (second.Type, second.Attempt, second.HardChange));
        Assert.Equal((StateType.Hard, 3, true), (third.Type, third.Attempt, third.HardChange));
        Assert.False(fourth.HardChange);
        Assert.Equal(CheckStatus.Critical, state.HardStatus);
        Assert.Equal(T0.AddMinutes(3), state.LastHardChange);
        Assert.Equal(T0.AddMinutes(1), state.LastChange);
    }

    [Fact]
    public void A_soft_problem_that_clears_is_not_a_hard_change()
    {
        var state = NewState(3);
        state.Apply(CheckStatus.Warning, "load high", T0.AddMinutes(1));
        var ok = state.Apply(CheckStatus.Ok, "load fine", T0.AddMinutes(2));
        Assert.False(ok.HardChange);
        Assert.False(ok.Recovery);
        Assert.Equal(T0.AddMinutes(2), state.LastOk);
    }

    [Fact]
    public void Recovery_from_a_hard_problem_is_a_hard_change()
    {
        var state = NewState(1);
        var problem = state.Apply(CheckStatus.Critical, "down", T0.AddMinutes(1));
        var recovery = state.Apply(CheckStatus.Ok, "up", T0.AddMinutes(2));
        Assert.True(problem.HardChange);
        Assert.False(problem.Recovery);
        Assert.True(recovery.HardChange);
        Assert.True(recovery.Recovery);
        Assert.Equal(CheckStatus.Critical, recovery.PreviousHard);
    }

    [Fact]
    public void A_change_between_problem_states_while_hard_is_a_hard_change()
    {
        var state = NewState(2);
        state.Apply(CheckStatus.Warning, "w", T0.AddMinutes(1));
        state.Apply(CheckStatus.Warning, "w", T0.AddMinutes(2));
        var worse = state.Apply(CheckStatus.Critical, "c", T0.AddMinutes(3));
        Assert.True(worse.HardChange);
        Assert.Equal((CheckStatus.Warning, CheckStatus.Critical), (worse.PreviousHard, worse.CurrentHard));
    }

    [Fact]
    public void Alternating_results_start_flapping_and_steady_ones_stop_it()
    {
        var state = NewState(1);
        bool started = false;
        for (int i = 0; i < FlapDetector.HistorySize; i++)
            started |= state.Apply(i % 2 == 0 ? CheckStatus.Ok : CheckStatus.Critical, "x", T0.AddMinutes(i)).FlappingStarted;
        Assert.True(started);
        Assert.True(state.IsFlapping);
        Assert.True(state.PercentStateChange > 90);

        bool stopped = false;
        for (int i = 0; i < FlapDetector.HistorySize; i++)
            stopped |= state.Apply(CheckStatus.Ok, "steady", T0.AddHours(1).AddMinutes(i)).FlappingStopped;
        Assert.True(stopped);
        Assert.False(state.IsFlapping);
    }
}

public class FlapDetectorTests
{
    [Fact]
    public void One_change_at_the_newest_end_weighs_more_than_one_at_the_oldest()
    {
        var newest = new FlapDetector();
        for (int i = 0; i < FlapDetector.HistorySize - 1; i++)
            newest.Record(0);
        newest.Record(2);

        var oldest = new FlapDetector();
        oldest.Record(2);
        for (int i = 0; i < FlapDetector.HistorySize - 1; i++)
            oldest.Record(0);

        // Nagios' curve: weight 1.25 for the newest transition, 0.75 for the oldest, over 20 transitions.
        Assert.Equal(1.25 * 100 / 20, newest.PercentStateChange, 6);
        Assert.Equal(0.75 * 100 / 20, oldest.PercentStateChange, 6);
    }

    [Fact]
    public void Nothing_flaps_before_the_history_is_full()
    {
        var detector = new FlapDetector();
        for (int i = 0; i < FlapDetector.HistorySize - 1; i++)
            Assert.Equal(0, detector.Record(i % 2));
        Assert.False(detector.IsFlapping);
    }

    [Fact]
    public void A_snapshot_gives_back_every_remembered_status_where_it_was_in_the_ring()
    {
        var detector = new FlapDetector();
        int[] statuses = [0, 1, 2, 3, 3, 2, 1, 0, 2, 0, 3, 1, 1, 2, 0, 3, 0, 2, 1, 3, 2, 0, 1, 3, 2]; // 25: the ring wraps
        foreach (var status in statuses)
            detector.Record(status);

        // next = 25 mod 21 = 4; slots 0-3 hold the four newest, 4-20 the rest in order.
        Assert.Equal("4;21;1;0,1,3,2,3,2,1,0,2,0,3,1,1,2,0,3,0,2,1,3,2", detector.Snapshot());
        var restored = FlapDetector.FromSnapshot(detector.Snapshot());
        Assert.Equal(detector.Snapshot(), restored.Snapshot());
        Assert.Equal(detector.PercentStateChange, restored.PercentStateChange, 9);
        Assert.Equal(detector.Record(0), restored.Record(0));
        Assert.Equal(detector.PercentStateChange, restored.PercentStateChange, 9);
    }
}
