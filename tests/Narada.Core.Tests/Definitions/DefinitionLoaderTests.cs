using Narada.Core.Definitions;

namespace Narada.Core.Tests.Definitions;

public sealed class DefinitionLoaderTests
{
    private const string FullSet = """
        kind: Check
        name: disk-root
        plugin: nagios.check_disk
        params: { warning: "20%", critical: "10%", path: / }
        every: 60s
        targets: { tags: [linux] }
        timeout: 10s
        attempts: 3
        handlers: [log-alert]
        ---
        kind: Check
        name: rr
        plugin: nagios.check_dummy
        params: { state: "0" }
        cron: "*/5 * * * *"
        time_zone: Europe/Paris
        targets: { tags: [web], round_robin: true }
        ttl: 20m
        ---
        kind: Handler
        name: log-alert
        exec: [/usr/bin/logger, -t, narada]
        filter: { hard_only: true }
        ---
        kind: Handler
        name: hook
        webhook: { url: "https://example.test/hook", timeout: 3s, retries: 5, headers: { X-Token: abc } }
        filter: { states: [critical, OK], hard_only: false, occurrences: 2 }
        ---
        kind: Apply
        name: app
        targets: { hosts: [web01] }
        files:
          - path: /etc/motd
            template: templates/motd.scriban
            mode: "0644"
          - path: /etc/app.json
            content: '{"a": 1}'
            owner: root
            group: adm
            validate: "jq . %s"
            on_change: "systemctl reload app"
        rollout: { batch: 2, max_failures: 10%, pause: 30s }
        every: 30m
        vars: { port: 8080, debug: false, name: x, list: [1, two], nested: { ratio: 1.5 }, nothing: ~, quoted: "42" }
        ---
        kind: Host
        name: web01
        tags: [web]
        groups: [frontends]
        vars: { role: web }
        ---
        kind: Group
        name: frontends
        tags: [frontend]
        hosts: [web02]
        """;

    private static DefinitionSet LoadFullSet() =>
        ConfigDirectory.SetOf(FullSet, ("templates/motd.scriban", "Hello {{ host.name }}"));

    [Fact]
    public void Reads_a_check_with_its_values_and_defaults()
    {
        var set = LoadFullSet();
        var disk = set.Checks["disk-root"];
        Assert.Equal("nagios", disk.PluginName);
        Assert.Equal("check_disk", disk.Command);
        Assert.Equal("/", disk.Params["path"]);
        Assert.Equal("20%", disk.Params["warning"]);
        Assert.Equal(TimeSpan.FromSeconds(60), disk.Schedule.Every);
        Assert.Equal(TimeSpan.FromMinutes(2), disk.Ttl);
        Assert.Equal(TimeSpan.FromSeconds(10), disk.Timeout);
        Assert.Equal(3, disk.Attempts);
        Assert.Equal(["log-alert"], disk.Handlers);
        Assert.Equal(["linux"], disk.Targets.Tags);
        Assert.False(disk.RoundRobin);
        Assert.Equal((1, 1), (disk.Source.Line, disk.Source.Column));

        var rr = set.Checks["rr"];
        Assert.Equal(1, rr.Attempts);
        Assert.Null(rr.Timeout);
        Assert.Equal("0 0/5 * * * ?", rr.Schedule.Cron!.ToQuartz());
        Assert.Equal("Europe/Paris", rr.Schedule.Cron.TimeZone.Id);
        Assert.Equal(TimeSpan.FromMinutes(20), rr.Ttl);
        Assert.Equal("web", rr.Targets.PoolTag);
        Assert.Equal(11, rr.Source.Line);
    }

    [Fact]
    public void Reads_exec_and_webhook_handlers_with_filters()
    {
        var set = LoadFullSet();
        var log = set.Handlers["log-alert"];
        Assert.Equal(["/usr/bin/logger", "-t", "narada"], log.Exec);
        Assert.Null(log.Webhook);
        Assert.True(log.Filter.HardOnly);
        Assert.Empty(log.Filter.States);
        Assert.Equal(TimeSpan.FromSeconds(10), log.Timeout);

        var hook = set.Handlers["hook"];
        Assert.Null(hook.Exec);
        Assert.Equal(new Uri("https://example.test/hook"), hook.Webhook!.Url);
        Assert.Equal(TimeSpan.FromSeconds(3), hook.Webhook.Timeout);
        Assert.Equal(5, hook.Webhook.Retries);
        Assert.Equal("abc", hook.Webhook.Headers["X-Token"]);
        Assert.Equal(["CRITICAL", "OK"], hook.Filter.States.Order());
        Assert.False(hook.Filter.HardOnly);
        Assert.True(hook.Filter.Allows("CRITICAL", hard: false, occurrence: 2));
        Assert.False(hook.Filter.Allows("CRITICAL", hard: true, occurrence: 1));
        Assert.False(hook.Filter.Allows("WARNING", hard: true, occurrence: 5));
    }

    [Fact]
    public void Reads_an_apply_with_files_rollout_and_typed_vars()
    {
        var apply = LoadFullSet().Applies["app"];
        Assert.Equal(["web01"], apply.Targets.Hosts);
        Assert.Equal(2, apply.Files.Count);
        var motd = apply.Files[0];
        Assert.Equal("/etc/motd", motd.Path);
        Assert.Equal("templates/motd.scriban", motd.Template);
        Assert.Null(motd.Content);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, motd.Mode);
        var json = apply.Files[1];
        Assert.Equal("{\"a\": 1}", json.Content);
        Assert.Equal(("root", "adm"), (json.Owner, json.Group));
        Assert.Equal("jq . %s", json.Validate);
        Assert.Equal("systemctl reload app", json.OnChange);

        Assert.Equal(RolloutAmount.Count(2), apply.Rollout.Batch);
        Assert.Equal(RolloutAmount.Percent(10), apply.Rollout.MaxFailures);
        Assert.Equal(TimeSpan.FromSeconds(30), apply.Rollout.Pause);
        Assert.Equal(2, apply.Rollout.BatchSize(40));
        Assert.Equal(4, apply.Rollout.AllowedFailures(45));
        Assert.Equal(TimeSpan.FromMinutes(30), apply.Schedule!.Every);

        Assert.Equal(8080L, apply.Vars["port"]);
        Assert.Equal(false, apply.Vars["debug"]);
        Assert.Equal("x", apply.Vars["name"]);
        Assert.Equal("42", apply.Vars["quoted"]);
        Assert.Null(apply.Vars["nothing"]);
        Assert.Equal([1L, "two"], (IEnumerable<object?>)apply.Vars["list"]!);
        Assert.Equal(1.5, ((IReadOnlyDictionary<string, object?>)apply.Vars["nested"]!)["ratio"]);
    }

    [Fact]
    public void Hosts_and_groups_combine_into_effective_tags()
    {
        var set = LoadFullSet();
        Assert.Equal("web", set.Hosts["web01"].Vars["role"]);
        Assert.Equal(["frontend", "linux", "web"], set.TagsOf("web01", ["linux"]).Order());
        Assert.Equal(["frontend"], set.TagsOf("web02", []).Order());
        Assert.Empty(set.TagsOf("db01", []));
    }

    [Fact]
    public void Loads_every_yaml_file_recursively_but_skips_templates_and_hidden_entries()
    {
        using var config = new ConfigDirectory();
        config.Write("checks/a.yaml", "kind: Handler\nname: one\nexec: [/bin/true]\n");
        config.Write("deep/er/b.yml", "kind: Handler\nname: two\nexec: [/bin/true]\n---\n");
        config.Write("templates/not-a-definition.yaml", "this: [is not: valid");
        config.Write(".hidden/c.yaml", "kind: Nonsense");
        config.Write("notes.txt", "kind: Nonsense");
        var result = config.Load();
        Assert.True(result.Errors.Count == 0, string.Join("\n", result.Errors));
        Assert.Equal(["one", "two"], result.Set!.Handlers.Keys.Order());
        Assert.Equal(config.Path, result.Set.Directory);
    }

    [Fact]
    public void An_empty_directory_is_an_empty_valid_set()
    {
        using var config = new ConfigDirectory();
        var result = config.Load();
        Assert.True(result.Succeeded);
        Assert.Empty(result.Set!.Checks);
    }

    [Fact]
    public void A_missing_directory_is_an_error_not_an_exception()
    {
        var result = DefinitionLoader.Load(Path.Combine(Path.GetTempPath(), "narada-no-such-dir-" + Guid.NewGuid()));
        Assert.Null(result.Set);
        Assert.Contains("config directory not found", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }
}
