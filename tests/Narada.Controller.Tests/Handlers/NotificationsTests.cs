using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Narada.Controller.Handlers;
using Narada.Controller.Hosts;
using Narada.Controller.Metrics;
using Narada.Controller.State;
using Narada.Core.Definitions;
using Narada.Core.Formats;
using Narada.Testing;

namespace Narada.Controller.Tests.Handlers;

/// <summary>
/// When handlers run for a problem that lasts, with the clock in the test's hands: repeats, escalations,
/// acknowledgements, silences and dependencies. The handlers are real exec handlers (/usr/bin/true).
/// </summary>
public sealed class NotificationsTests : IAsyncDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 8, 3, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("narada-notify-").FullName;
    private readonly CheckBook _checks = new();
    private readonly HostRegistry _hosts = new();
    private readonly SilenceBook _silences = new();
    private readonly AckBook _acks = new();
    private readonly HandlerRunner _runner = new(new ControllerMetrics(), NullLogger.Instance);
    private readonly ConcurrentQueue<string> _ran = new();
    private readonly Notifications _notifications;
    private readonly DefinitionSet _set;

    public NotificationsTests()
    {
        _runner.Completed += outcome => _ran.Enqueue(outcome.Handler);
        var config = Directory.CreateDirectory(Path.Combine(_dir, "config")).FullName;
        File.WriteAllText(Path.Combine(config, "c.yaml"), """
            kind: Check
            name: disk
            plugin: nagios.check_dummy
            every: 1m
            targets: { hosts: [web01] }
            handlers: [page, escalate]
            depends_on: [{ check: uplink }]
            ---
            kind: Check
            name: uplink
            plugin: nagios.check_dummy
            every: 1m
            targets: { hosts: [web01] }
            ---
            kind: Downtime
            name: patching
            targets: { hosts: [web01] }
            checks: [disk]
            start: 2026-12-08T05:00:00Z
            end: 2026-12-08T06:00:00Z
            comment: kernel update
            ---
            kind: Handler
            name: page
            exec: [/usr/bin/true]
            repeat: 10m
            ---
            kind: Handler
            name: escalate
            exec: [/usr/bin/true]
            after: 30m
            """);
        var loaded = DefinitionLoader.Load(config);
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Errors));
        _set = loaded.Set!;
        _notifications = new Notifications(_runner, _silences, _acks, _checks, _hosts, () => _set);
    }

    private HandlerDefinition[] Handlers => [_set.Handlers["page"], _set.Handlers["escalate"]];

    /// <summary>Applies a result to disk on web01 and lets the notifications see the hard change, as the intake does.</summary>
    private async Task ResultAsync(CheckStatus status, DateTimeOffset at)
    {
        var (_, change) = _checks.Record("disk", "web01", 1, status, status.ToString(), at);
        if (change.HardChange)
        {
            var e = new HandlerEvent(change.Recovery ? "recovery" : "problem", "disk", "web01", status.ToString(), "", "hard", 1, "", at);
            _notifications.OnHardChange(_set.Checks["disk"], Handlers, e, change, at);
        }
        await SettledAsync();
    }

    private async Task<int> SweepAsync(DateTimeOffset now)
    {
        int started = _notifications.Sweep(_set, _ => [], now);
        await SettledAsync();
        return started;
    }

    private Task SettledAsync() => Retry.UntilAsync(() => _runner.Running == 0, "handler runs to end", TimeSpan.FromSeconds(10));

    private string[] Ran() => [.. _ran];

    [Fact]
    public async Task A_problem_pages_at_once_repeats_every_ten_minutes_and_escalates_after_thirty()
    {
        await ResultAsync(CheckStatus.Critical, T0);
        Assert.Equal(["page"], Ran());

        Assert.Equal(0, await SweepAsync(T0.AddMinutes(9)));
        Assert.Equal(1, await SweepAsync(T0.AddMinutes(10)));
        Assert.Equal(0, await SweepAsync(T0.AddMinutes(19)));
        Assert.Equal(1, await SweepAsync(T0.AddMinutes(20)));
        Assert.Equal(["page", "page", "page"], Ran());
        Assert.Equal(2, await SweepAsync(T0.AddMinutes(30))); // the third repeat, and the escalation
        Assert.Equal(["escalate", "page"], Ran()[3..].Order()); // run side by side: either may end first
        Assert.Equal(0, await SweepAsync(T0.AddMinutes(31))); // an escalation without repeat runs once

        // The recovery goes to both: the escalation handler had heard of the problem.
        await ResultAsync(CheckStatus.Ok, T0.AddMinutes(32));
        Assert.Equal(["escalate", "page"], Ran()[^2..].Order());
        Assert.Equal(0, await SweepAsync(T0.AddMinutes(50)));
    }

    [Fact]
    public async Task A_short_problem_never_reaches_the_escalation_nor_its_recovery()
    {
        await ResultAsync(CheckStatus.Critical, T0);
        Assert.Equal(0, await SweepAsync(T0.AddMinutes(5)));
        await ResultAsync(CheckStatus.Ok, T0.AddMinutes(6));
        Assert.Equal(["page", "page"], Ran()); // the problem and its recovery
    }

    [Fact]
    public async Task An_acknowledged_problem_neither_repeats_nor_escalates_until_the_acknowledgement_goes()
    {
        await ResultAsync(CheckStatus.Critical, T0);
        _acks.Add(new Acknowledgement("disk", "web01", "ana", "on it", Sticky: false, T0.AddMinutes(1), CheckStatus.Critical));

        Assert.Equal(0, await SweepAsync(T0.AddMinutes(10)));
        Assert.Equal(0, await SweepAsync(T0.AddMinutes(40)));
        Assert.Equal(["page"], Ran());

        _acks.Remove("disk", "web01");
        Assert.Equal(2, await SweepAsync(T0.AddMinutes(41)));
    }

    [Fact]
    public void A_non_sticky_acknowledgement_ends_with_another_problem_state_and_any_ends_with_the_recovery()
    {
        _acks.Add(new Acknowledgement("disk", "web01", "ana", "on it", Sticky: false, T0, CheckStatus.Warning));
        Assert.Null(_acks.EndOnChange("disk", "web01", CheckStatus.Warning));
        Assert.NotNull(_acks.EndOnChange("disk", "web01", CheckStatus.Critical));

        _acks.Add(new Acknowledgement("disk", "web01", "ana", "on it", Sticky: true, T0, CheckStatus.Warning));
        Assert.Null(_acks.EndOnChange("disk", "web01", CheckStatus.Critical));
        Assert.NotNull(_acks.EndOnChange("disk", "web01", CheckStatus.Ok));
        Assert.Null(_acks.Of("disk", "web01"));
    }

    [Fact]
    public async Task A_silenced_problem_or_one_whose_parent_is_down_runs_nothing()
    {
        _silences.Add("disk", null, null, T0.AddMinutes(15), "maintenance");
        await ResultAsync(CheckStatus.Critical, T0);
        Assert.Equal(0, await SweepAsync(T0.AddMinutes(10)));
        Assert.Empty(Ran());
        // Once the silence ends the problem is still there: the next repeat is counted from the hard change.
        Assert.Equal(1, await SweepAsync(T0.AddMinutes(16)));

        _checks.Record("uplink", "web01", 1, CheckStatus.Critical, "link down", T0.AddMinutes(17));
        Assert.Equal("depends on uplink on web01, which is CRITICAL", _notifications.HeldBy(_set.Checks["disk"], "disk", "web01", [], T0.AddMinutes(17)));
        Assert.Equal(0, await SweepAsync(T0.AddMinutes(45)));
        Assert.Equal(["page"], Ran());
    }

    [Fact]
    public async Task A_downtime_holds_a_problem_and_the_next_repeat_comes_once_it_ends()
    {
        var inWindow = T0.AddHours(2).AddMinutes(30); // 05:30, inside 05:00-06:00
        await ResultAsync(CheckStatus.Critical, inWindow);
        Assert.Empty(Ran());
        Assert.Equal("in downtime patching until 2026-12-08 06:00:00Z", _notifications.HeldBy(_set.Checks["disk"], "disk", "web01", new HashSet<string>(), inWindow));
        Assert.Null(_notifications.HeldBy(_set.Checks["uplink"], "uplink", "web01", new HashSet<string>(), inWindow)); // not one of its checks
        Assert.Equal(0, await SweepAsync(inWindow.AddMinutes(29)));   // 05:59: still in it
        // 06:00: over; the repeat (10 min after the change) and the escalation (30 min after it) are both due.
        Assert.Equal(2, await SweepAsync(inWindow.AddMinutes(30)));
        Assert.Equal(["escalate", "page"], Ran().Order());
    }

    public async ValueTask DisposeAsync()
    {
        await _runner.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
