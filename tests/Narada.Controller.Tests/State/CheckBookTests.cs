using Narada.Controller.State;
using Narada.Core.Formats;

namespace Narada.Controller.Tests.State;

/// <summary>The book's index of checks that are not OK, which the notification and retry sweeps walk.</summary>
public sealed class CheckBookTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 8, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_check_is_a_problem_from_its_first_non_OK_result_until_it_is_OK_again()
    {
        var book = new CheckBook();
        book.Record("disk", "web01", 3, CheckStatus.Ok, "fine", T0);
        book.Record("load", "web01", 3, CheckStatus.Unknown, "no data", T0); // the very first result: Unknown, soft
        Assert.Equal([("load", "web01")], Problems(book));

        book.Record("disk", "web01", 3, CheckStatus.Critical, "full", T0.AddMinutes(1));
        Assert.Equal([("disk", "web01"), ("load", "web01")], Problems(book));

        book.Record("disk", "web01", 3, CheckStatus.Ok, "fine", T0.AddMinutes(2));
        Assert.Equal([("load", "web01")], Problems(book));
        Assert.Equal(2, book.Entries.Count());
    }

    [Fact]
    public void A_removed_check_leaves_the_problems_too()
    {
        var book = new CheckBook();
        book.Record("disk", "web01", 1, CheckStatus.Critical, "full", T0);
        book.Record("disk", "web02", 1, CheckStatus.Critical, "full", T0);
        book.Record("load", "web03", 1, CheckStatus.Warning, "busy", T0);

        book.Remove("disk", "web01");
        book.RemoveWhere((_, host) => host == "web03");

        Assert.Equal([("disk", "web02")], Problems(book));
        Assert.Equal([("disk", "web02")], book.Entries.Select(e => (e.State.Check, e.State.Host)));
    }

    [Fact]
    public void A_restored_or_shared_state_that_is_not_OK_counts_as_a_problem()
    {
        var book = new CheckBook();
        var state = new CheckState("disk", "web01", 1, T0);
        state.Apply(CheckStatus.Critical, "full", T0);
        book.Restore(state);
        Assert.Equal([("disk", "web01")], Problems(book));
    }

    private static (string, string)[] Problems(CheckBook book) =>
        [.. book.Problems.Select(e => (e.State.Check, e.State.Host)).Order()];
}
