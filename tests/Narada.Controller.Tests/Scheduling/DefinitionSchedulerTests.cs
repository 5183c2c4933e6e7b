using System.Collections.Concurrent;
using Narada.Controller.Scheduling;
using Narada.Core.Contracts;
using Narada.Core.Definitions;
using Narada.Testing;

namespace Narada.Controller.Tests.Scheduling;

public sealed class DefinitionSchedulerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("narada-sched-").FullName;

    private DefinitionSet Load(string yaml)
    {
        File.WriteAllText(Path.Combine(_dir, "defs.yaml"), yaml);
        var result = DefinitionLoader.Load(_dir);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Set!;
    }

    [Fact]
    public async Task Interval_definitions_fire_repeatedly_and_stop_when_removed_on_reload()
    {
        var fires = new ConcurrentQueue<(DefinitionKey Key, DateTimeOffset At)>();
        await using var scheduler = await DefinitionScheduler.StartAsync((key, at) =>
        {
            fires.Enqueue((key, at));
            return ValueTask.CompletedTask;
        });

        await scheduler.ApplyAsync(Load("""
            kind: Check
            name: fast
            plugin: nagios.check_dummy
            every: 1s
            targets: { tags: [linux] }
            ---
            kind: Collector
            name: node
            plugin: system.node
            every: 1s
            targets: { tags: [linux] }
            """));

        await Retry.UntilAsync(() => fires.Count(f => f.Key == new DefinitionKey(DefinitionKind.Check, "fast")) >= 2
            && fires.Any(f => f.Key.Kind == DefinitionKind.Collector), "two firings of check/fast and one of collect/node");
        var fastTimes = fires.Where(f => f.Key.Name == "fast").Select(f => f.At).Order().ToArray();
        Assert.InRange((fastTimes[1] - fastTimes[0]).TotalMilliseconds, 900, 1100);

        await scheduler.ApplyAsync(Load("""
            kind: Collector
            name: node
            plugin: system.node
            every: 1s
            targets: { tags: [linux] }
            """));
        Assert.Equal([new DefinitionKey(DefinitionKind.Collector, "node")], scheduler.Scheduled);
        await Task.Delay(100); // a firing already in flight at the reload may still land
        int before = fires.Count(f => f.Key.Name == "fast");
        await Retry.UntilAsync(() => fires.Count(f => f.Key.Name == "node") >= 4, "more collector firings");
        Assert.Equal(before, fires.Count(f => f.Key.Name == "fast"));
    }

    [Fact]
    public async Task Cron_definitions_are_accepted_with_a_time_zone()
    {
        await using var scheduler = await DefinitionScheduler.StartAsync((_, _) => ValueTask.CompletedTask);
        await scheduler.ApplyAsync(Load("""
            kind: Check
            name: nightly
            plugin: nagios.check_dummy
            cron: "30 4 * * 1-5"
            time_zone: Europe/Berlin
            targets: { hosts: [web01] }
            """));
        Assert.Equal([new DefinitionKey(DefinitionKind.Check, "nightly")], scheduler.Scheduled);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
