using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Narada.Controller.Tests.EndToEnd;
using Narada.Core.Formats;
using Narada.Testing;

namespace Narada.Controller.Tests.Handlers;

/// <summary>The on-call workflow with a real agent running the real check_dummy plugin and real exec handlers that
/// append the event they get to a log: repeats and acknowledgements, dependencies, retry_every and run now.</summary>
[Trait("Category", "Peers")]
public sealed class OnCallTests : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("narada-oncall-").FullName;
    private LiveFleet? _fleet;

    private string Log(string name) => Path.Combine(_dir, name + ".log");

    private string Handler(string name, string extra = "") => $$"""
        kind: Handler
        name: {{name}}
        exec: [/usr/bin/tee, -a, "{{Log(name)}}"]
        {{extra}}
        """;

    /// <summary>The events the handler got, one JSON object per run.</summary>
    private JsonElement[] Runs(string name)
    {
        if (!File.Exists(Log(name)))
            return [];
        // tee appends each event as it came on stdin: JSON objects one after the other.
        var reader = new Utf8JsonReader(File.ReadAllBytes(Log(name)), new JsonReaderOptions { AllowMultipleValues = true });
        var runs = new List<JsonElement>();
        while (reader.Read())
            runs.Add(JsonElement.ParseValue(ref reader));
        return [.. runs];
    }

    private async Task<LiveFleet> StartAsync(string definitions)
    {
        _fleet = await LiveFleet.StartAsync(definitions, configure: o => o with { SweepInterval = TimeSpan.FromMilliseconds(200) });
        _fleet.AddAgent("web01", ["linux"], TimeSpan.FromSeconds(1));
        return _fleet;
    }

    private static HttpClient Api(LiveFleet fleet) => new() { BaseAddress = fleet.Controller.HttpAddress };

    private static int Results(LiveFleet fleet, string check) => fleet.Controller.History.RecentResults(check, "web01", 1000).Count;

    [Fact]
    public async Task A_repeating_handler_stops_repeating_once_the_problem_is_acknowledged_and_resumes_when_the_ack_is_removed()
    {
        var fleet = await StartAsync($"""
            kind: Check
            name: disk
            plugin: nagios.check_dummy
            params: {"{"} state: "2", text: "DISK CRITICAL - 99% used" {"}"}
            every: 1s
            targets: {"{"} hosts: [web01] {"}"}
            handlers: [page]
            ---
            {Handler("page", "repeat: 1s")}
            """);
        using var api = Api(fleet);
        await Retry.UntilAsync(() => Runs("page").Length >= 3, "the page handler to run and repeat", TimeSpan.FromSeconds(40));
        var runs = Runs("page");
        Assert.Equal([1, 2, 3], runs[..3].Select(r => r.GetProperty("notification").GetInt32()));
        var times = runs.Select(r => r.GetProperty("at").GetDateTimeOffset()).ToArray();
        Assert.All(times.Zip(times.Skip(1)), pair => Assert.True(pair.Second - pair.First >= TimeSpan.FromSeconds(1),
            $"a repeat came {(pair.Second - pair.First).TotalMilliseconds} ms after the one before, sooner than repeat: 1s"));

        var ack = await api.PostAsJsonAsync("api/acks", new { check = "disk", host = "web01", comment = "ana: replacing the disk" });
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        await Retry.UntilAsync(() => fleet.Controller.Handlers.Running == 0, "handler runs to end", TimeSpan.FromSeconds(10));
        int acknowledged = Runs("page").Length;
        int resultsThen = Results(fleet, "disk");
        // Three more results (and a dozen sweeps) later, still no repeat.
        await Retry.UntilAsync(() => Results(fleet, "disk") >= resultsThen + 3, "three more results", TimeSpan.FromSeconds(30));
        Assert.Equal(acknowledged, Runs("page").Length);
        var metrics = await api.GetStringAsync("metrics");
        Assert.Contains("narada_check_acknowledged{check=\"disk\",host=\"web01\"} 1", metrics);
        var checks = await api.GetFromJsonAsync<JsonElement>("api/checks?check=disk");
        Assert.Equal("ana: replacing the disk", checks[0].GetProperty("acknowledged").GetProperty("comment").GetString());
        Assert.Contains(fleet.Controller.History.RecentEvents(50, "disk", "web01"), e => e.Kind == "acknowledged" && e.Output.Contains("ana"));
        var okAck = await api.PostAsJsonAsync("api/acks", new { check = "nope", host = "web01", comment = "x" });
        Assert.Equal(HttpStatusCode.Conflict, okAck.StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync("api/acks/disk/web01")).StatusCode);
        await Retry.UntilAsync(() => Runs("page").Length > acknowledged, "repeats to resume", TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_dead_parent_holds_the_handlers_of_fifty_children_and_runs_its_own()
    {
        var fleet = await StartAsync($"""
            kind: Check
            name: uplink
            plugin: nagios.check_dummy
            params: {"{"} state: "2", text: "uplink down" {"}"}
            every: 1s
            targets: {"{"} hosts: [web01] {"}"}
            handlers: [page]
            ---
            {Handler("page")}
            """);
        await Retry.UntilAsync(() => fleet.Controller.Checks.TryGet("uplink", "web01", out var e) && e.State.HardStatus == CheckStatus.Critical,
            "the parent to be hard CRITICAL", TimeSpan.FromSeconds(30));
        var children = new StringBuilder();
        for (int i = 0; i < 50; i++)
            children.Append($$"""

                ---
                kind: Check
                name: service-{{i}}
                plugin: nagios.check_dummy
                params: { state: "2", text: "service {{i}} unreachable" }
                every: 1s
                targets: { hosts: [web01] }
                handlers: [page]
                depends_on: [{ check: uplink }]
                """);
        var file = Directory.GetFiles(Path.Combine(fleet.Controller.DefinitionStore.Directory), "*.yaml").Single();
        await File.AppendAllTextAsync(file, children.ToString());
        fleet.Controller.DefinitionStore.Reload();

        await Retry.UntilAsync(() => Enumerable.Range(0, 50).All(i =>
                fleet.Controller.Checks.TryGet($"service-{i}", "web01", out var e) && e.State.HardStatus == CheckStatus.Critical),
            "all 50 children to be hard CRITICAL", TimeSpan.FromSeconds(60));
        await fleet.Controller.History.FlushAsync();
        await Retry.UntilAsync(() => fleet.Controller.Handlers.Running == 0, "handler runs to end", TimeSpan.FromSeconds(10));

        var runs = Runs("page");
        Assert.Equal(["uplink"], runs.Select(r => r.GetProperty("check").GetString()));
        var held = fleet.Controller.History.RecentEvents(1000).Where(e => e.Kind == "held").ToArray();
        Assert.Equal(50, held.Select(e => e.Check).Distinct().Count());
        Assert.All(held, e => Assert.Equal("handlers held: depends on uplink on web01, which is CRITICAL", e.Output));
        using var api = Api(fleet);
        var child = await api.GetFromJsonAsync<JsonElement>("api/checks?check=service-7");
        Assert.Equal("depends on uplink on web01, which is CRITICAL", child[0].GetProperty("held_by").GetString());
    }

    [Fact]
    public async Task A_downtime_holds_the_handlers_of_a_problem_until_it_ends_and_both_ends_are_events()
    {
        var fleet = await StartAsync($"""
            kind: Check
            name: disk
            plugin: nagios.check_dummy
            params: {"{"} state: "2", text: "DISK CRITICAL" {"}"}
            every: 1s
            attempts: 2
            targets: {"{"} hosts: [web01] {"}"}
            handlers: [page]
            ---
            {Handler("page", "repeat: 1s")}
            """);
        // The window opens now, with the check still soft, and closes a few seconds on.
        await Retry.UntilAsync(() => Results(fleet, "disk") >= 1, "the first result", TimeSpan.FromSeconds(30));
        var end = DateTimeOffset.UtcNow.AddSeconds(4);
        var file = Directory.GetFiles(fleet.Controller.DefinitionStore.Directory, "*.yaml").Single();
        await File.AppendAllTextAsync(file, $"""

            ---
            kind: Downtime
            name: disk-swap
            targets: {"{"} hosts: [web01] {"}"}
            checks: [disk]
            start: {DateTimeOffset.UtcNow.AddMinutes(-1):yyyy-MM-ddTHH:mm:ss.fffZ}
            end: {end:yyyy-MM-ddTHH:mm:ss.fffZ}
            comment: replacing the disk
            """);
        fleet.Controller.DefinitionStore.Reload();
        Assert.True(fleet.Controller.Definitions.Downtimes.ContainsKey("disk-swap"), "the downtime was not loaded");

        await Retry.UntilAsync(() => Runs("page").Length >= 1, "the handler once the downtime is over", TimeSpan.FromSeconds(40));
        var first = Runs("page")[0].GetProperty("at").GetDateTimeOffset();
        Assert.True(first >= end, $"the handler ran at {first:O}, inside the downtime (until {end:O})");
        Assert.True(first - end < TimeSpan.FromSeconds(5), $"the handler ran at {first:O}, long after the downtime ended at {end:O}");
        await fleet.Controller.History.FlushAsync();
        var events = fleet.Controller.History.RecentEvents(200, host: "web01");
        Assert.Contains(events, e => e.Kind == "held" && e.Check == "disk" && e.Output.Contains("in downtime disk-swap"));
        var started = Assert.Single(events, e => e.Kind == "downtime_start");
        Assert.Contains("replacing the disk", started.Output);
        var ended = Assert.Single(events, e => e.Kind == "downtime_end");
        Assert.True(ended.At >= end && ended.At - end < TimeSpan.FromSeconds(3), $"downtime_end at {ended.At:O}, the window ended at {end:O}");
    }

    [Fact]
    public async Task Retry_every_rechecks_a_soft_problem_at_its_own_pace_until_it_is_hard_then_stops()
    {
        var fleet = await StartAsync("""
            kind: Check
            name: flaky
            plugin: nagios.check_dummy
            params: { state: "1", text: "slow answers" }
            every: 1h
            retry_every: 1s
            attempts: 4
            targets: { hosts: [web01] }
            ---
            kind: Check
            name: tick
            plugin: nagios.check_dummy
            params: { state: "0", text: "tick" }
            every: 1s
            targets: { hosts: [web01] }
            """);
        await Retry.UntilAsync(() => fleet.Controller.Checks.TryGet("flaky", "web01", out var e) && e.State.HardStatus == CheckStatus.Warning,
            "four attempts within seconds though the check runs hourly", TimeSpan.FromSeconds(40));
        await fleet.Controller.History.FlushAsync();
        var results = fleet.Controller.History.RecentResults("flaky", "web01", 100).Select(r => r.At).Order().ToArray();
        Assert.Equal(4, results.Length);
        Assert.All(results.Zip(results.Skip(1)), pair => Assert.True(pair.Second - pair.First >= TimeSpan.FromMilliseconds(900),
            $"a retry came {(pair.Second - pair.First).TotalMilliseconds} ms after the result before, sooner than retry_every: 1s"));

        // Hard now: back to the hourly schedule, while another check goes on every second.
        int ticks = Results(fleet, "tick");
        await Retry.UntilAsync(() => Results(fleet, "tick") >= ticks + 4, "four more ticks", TimeSpan.FromSeconds(30));
        Assert.Equal(4, Results(fleet, "flaky"));
    }

    [Fact]
    public async Task Run_now_runs_a_check_at_once_through_the_api_and_refuses_what_cannot_run()
    {
        var fleet = await StartAsync("""
            kind: Check
            name: hourly
            plugin: nagios.check_dummy
            params: { state: "0", text: "fine" }
            every: 1h
            targets: { hosts: [web01] }
            """);
        await Retry.UntilAsync(() => Results(fleet, "hourly") == 1, "the first run, at host-up", TimeSpan.FromSeconds(30));
        using var api = Api(fleet);

        var queued = await api.PostAsync("api/checks/hourly/web01/run", null);
        Assert.True(queued.StatusCode == HttpStatusCode.Accepted, await queued.Content.ReadAsStringAsync());
        await Retry.UntilAsync(() => Results(fleet, "hourly") == 2, "the run asked for", TimeSpan.FromSeconds(30));

        var unknown = await api.PostAsync("api/checks/nope/web01/run", null);
        Assert.Equal(HttpStatusCode.Conflict, unknown.StatusCode);
        Assert.Contains("no check 'nope'", await unknown.Content.ReadAsStringAsync());
        var nohost = await api.PostAsync("api/checks/hourly/db09/run", null);
        Assert.Contains("no host 'db09'", await nohost.Content.ReadAsStringAsync());
        Assert.Contains(fleet.Controller.History.RecentAudit(10), a => a.Action == "check.run" && a.Target == "hourly on web01");
    }

    [Fact]
    public async Task A_hook_the_manifest_declares_runs_on_the_agent_after_a_critical_result_and_its_output_reaches_the_event()
    {
        var plugins = Directory.CreateDirectory(Path.Combine(_dir, "plugins", "web")).FullName;
        File.WriteAllText(Path.Combine(plugins, "plugin.yaml"), """
            plugin: web
            commands:
              check:
                exec: /usr/lib/nagios/plugins/check_dummy
                args: ["{state}", "nginx down"]
                params:
                  state: { type: int, default: 2 }
                output: nagios
                hooks:
                  - { on: [CRITICAL, UNKNOWN], run: status }
              status:
                exec: /bin/echo
                args: ["nginx.service: inactive (dead) since 02:31"]
            """);
        _fleet = await LiveFleet.StartAsync($"""
            kind: Check
            name: nginx
            plugin: web.check
            every: 1s
            targets: {"{"} hosts: [web01] {"}"}
            handlers: [page]
            ---
            {Handler("page")}
            """, configure: o => o with { SweepInterval = TimeSpan.FromMilliseconds(200) });
        _fleet.AddAgent("web01", [], TimeSpan.FromSeconds(1), morePlugins: [Path.GetDirectoryName(plugins)!]);

        await Retry.UntilAsync(() => Runs("page").Length >= 1, "the handler for the problem", TimeSpan.FromSeconds(40));
        var hook = Runs("page")[0].GetProperty("hooks")[0];
        Assert.Equal("web.status", hook.GetProperty("command").GetString());
        Assert.Equal(0, hook.GetProperty("exit_code").GetInt32());
        Assert.Equal("nginx.service: inactive (dead) since 02:31", hook.GetProperty("output").GetString());
        await _fleet.Controller.History.FlushAsync();
        Assert.Contains(_fleet.Controller.History.RecentEvents(20, "nginx", "web01"),
            e => e.Kind == "hard" && e.Output.Contains("[hook web.status, exit 0]\nnginx.service: inactive (dead)", StringComparison.Ordinal));
        using var api = Api(_fleet);
        var checks = await api.GetFromJsonAsync<JsonElement>("api/checks?check=nginx");
        Assert.Equal("web.status", checks[0].GetProperty("hooks")[0].GetProperty("command").GetString());
    }

    public async ValueTask DisposeAsync()
    {
        if (_fleet is not null)
            await _fleet.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
