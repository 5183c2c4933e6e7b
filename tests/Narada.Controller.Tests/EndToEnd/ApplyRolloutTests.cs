using Narada.Agent;
using Narada.Agent.Configuration;
using Narada.Controller.Rollouts;
using Narada.Core.Contracts;
using Narada.Gearman.Transport;
using Narada.Testing;

namespace Narada.Controller.Tests.EndToEnd;

/// <summary>
/// Config apply through a real gearmand with three real agents, each allowed to write only under its own temp
/// directory, and real validators (jq) and on_change commands.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Trait("Category", "Peers")]
public sealed class ApplyRolloutTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("narada-apply-").FullName;
    private LiveFleet _fleet = null!;

    private NaradaController Controller => _fleet.Controller;

    private string HostDir(string host) => Path.Combine(_dir, "hosts", host);

    public async Task InitializeAsync()
    {
        var templates = new Dictionary<string, string>
        {
            ["templates/app.json.scriban"] = """
                {"host": "{{ host.name }}", "port": {{ vars.port }}, "kernel": "{{ facts.kernel }}"}

                """,
            ["templates/broken.scriban"] = "port = {{ vars.no_such_variable }}\n",
        };
        _fleet = await LiveFleet.StartAsync($$"""
            kind: Apply
            name: app
            targets: { hosts: [alpha] }
            vars: { port: 8080 }
            files:
              - path: {{HostDir("alpha")}}/app.json
                template: templates/app.json.scriban
                mode: "0640"
                validate: /usr/bin/jq empty %s
            ---
            kind: Apply
            name: invalid-json
            targets: { hosts: [alpha] }
            files:
              - path: {{HostDir("alpha")}}/app.json
                content: "{ not json"
                validate: /usr/bin/jq empty %s
            ---
            kind: Apply
            name: reload-fails
            targets: { hosts: [alpha] }
            files:
              - path: {{HostDir("alpha")}}/app.json
                content: "{\"changed\": true}\n"
                on_change: /bin/false
            ---
            kind: Apply
            name: fleet
            targets: { tags: [fleet] }
            rollout: { batch: 1, max_failures: 0 }
            files:
              - path: {{HostDir("alpha")}}/fleet.conf
                content: "same everywhere\n"
            ---
            kind: Apply
            name: undefined
            targets: { hosts: [alpha] }
            files:
              - path: {{HostDir("alpha")}}/broken.conf
                template: templates/broken.scriban
            """, files: templates);
        foreach (var host in new[] { "alpha", "bravo", "charlie" })
        {
            Directory.CreateDirectory(HostDir(host));
            _fleet.AddAgent(host, ["fleet"], TimeSpan.FromMilliseconds(300), new ApplyConfig
            {
                Paths = [HostDir(host)],
                BackupDir = Path.Combine(_dir, "backup", host),
                Commands = ["/usr/bin/jq", "/bin/false"],
            });
        }
        await Retry.UntilAsync(() => Controller.Hosts.All.Count(h => h.Status == Narada.Controller.Hosts.HostStatus.Up) == 3, "three agents up");
    }

    private async Task<List<RolloutEvent>> RunAsync(string apply, bool dryRun = false)
    {
        var events = new List<RolloutEvent>();
        await foreach (var e in Controller.Rollouts.RunAsync(new RolloutRequest(apply) { DryRun = dryRun, HostTimeout = TimeSpan.FromSeconds(20) }))
            events.Add(e);
        return events;
    }

    [Fact]
    public async Task Dry_run_shows_the_diff_apply_writes_and_a_second_apply_changes_nothing()
    {
        var target = Path.Combine(HostDir("alpha"), "app.json");
        var preview = Assert.Single(await RunAsync("app", dryRun: true), e => e.Event == RolloutEventKind.Host);
        Assert.Equal(ApplyOutcome.Changed, preview.Outcome);
        Assert.Contains("+{\"host\": \"alpha\", \"port\": 8080", preview.Diff);
        Assert.False(File.Exists(target));

        var applied = Assert.Single(await RunAsync("app"), e => e.Event == RolloutEventKind.Host);
        Assert.Equal(ApplyOutcome.Changed, applied.Outcome);
        var kernel = (await ExternalProcess.RunAsync("/usr/bin/uname", ["-r"])).Stdout.Trim();
        Assert.Equal($"{{\"host\": \"alpha\", \"port\": 8080, \"kernel\": \"{kernel}\"}}\n", File.ReadAllText(target));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(target));

        var again = Assert.Single(await RunAsync("app"), e => e.Event == RolloutEventKind.Host);
        Assert.Equal(ApplyOutcome.Unchanged, again.Outcome);

        await Controller.History.FlushAsync();
        var rollouts = Controller.History.RecentRollouts(10);
        Assert.Equal(3, rollouts.Count(r => r.Apply == "app" && r.Status == RolloutStatus.Finished));
    }

    [Fact]
    public async Task A_validator_that_rejects_leaves_the_file_untouched_and_a_failing_reload_rolls_back()
    {
        var target = Path.Combine(HostDir("alpha"), "app.json");
        File.WriteAllText(target, "{\"original\": true}\n");

        var refused = Assert.Single(await RunAsync("invalid-json"), e => e.Event == RolloutEventKind.Host);
        Assert.Equal(ApplyOutcome.Refused, refused.Outcome);
        Assert.Equal("{\"original\": true}\n", File.ReadAllText(target));

        var rolledBack = Assert.Single(await RunAsync("reload-fails"), e => e.Event == RolloutEventKind.Host);
        Assert.Equal(ApplyOutcome.RolledBack, rolledBack.Outcome);
        Assert.Equal("{\"original\": true}\n", File.ReadAllText(target));
        Assert.DoesNotContain(Directory.GetFiles(HostDir("alpha")), f => !f.EndsWith("app.json")); // no temp files left
    }

    [Fact]
    public async Task A_batch_rollout_stops_at_the_failure_threshold_and_reports_the_rest_skipped()
    {
        var events = await RunAsync("fleet");
        var hosts = events.Where(e => e.Event == RolloutEventKind.Host).ToDictionary(e => e.Host!, e => e);
        Assert.Equal(ApplyOutcome.Changed, hosts["alpha"].Outcome);
        Assert.Equal(ApplyOutcome.Refused, hosts["bravo"].Outcome); // the path lies outside bravo's apply paths
        Assert.Contains("outside", hosts["bravo"].Message);
        Assert.Equal(ApplyOutcome.Skipped, hosts["charlie"].Outcome);
        Assert.Equal(RolloutEventKind.Stopped, events[^1].Event);
    }

    [Fact]
    public async Task Hosts_asked_for_by_name_that_the_rollout_cannot_reach_are_reported_skipped_with_why()
    {
        var events = new List<RolloutEvent>();
        await foreach (var e in Controller.Rollouts.RunAsync(new RolloutRequest("app")
        { DryRun = true, Hosts = ["alpha", "bravo", "ghost"], HostTimeout = TimeSpan.FromSeconds(20) }))
            events.Add(e);

        Assert.Equal(["alpha"], events.Single(e => e.Event == RolloutEventKind.Started).Hosts);
        var skipped = events.Where(e => e.Outcome == ApplyOutcome.Skipped).ToDictionary(e => e.Host!, e => e.Message);
        Assert.Equal("not reached: bravo is not among app's targets", skipped["bravo"]);
        Assert.Equal("not reached: no agent named ghost has announced itself", skipped["ghost"]);
        Assert.Contains(events, e => e.Host == "alpha" && e.Outcome == ApplyOutcome.Changed);
        Assert.Equal(2, events.Single(e => e.Event == RolloutEventKind.Finished).Counts!["skipped"]);
    }

    [Fact]
    public async Task An_undefined_template_variable_sends_nothing()
    {
        var failed = Assert.Single(await RunAsync("undefined"), e => e.Event == RolloutEventKind.Host);
        Assert.Equal(ApplyOutcome.Failed, failed.Outcome);
        Assert.Contains("not sent", failed.Message);
        Assert.Contains("no_such_variable", failed.Message);
        Assert.False(File.Exists(Path.Combine(HostDir("alpha"), "broken.conf")));
    }

    public async Task DisposeAsync()
    {
        await _fleet.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
