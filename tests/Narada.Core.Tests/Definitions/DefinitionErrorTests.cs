using Narada.Core.Contracts;
using Narada.Core.Definitions;
using Narada.Core.Yaml;

namespace Narada.Core.Tests.Definitions;

/// <summary>One test per class of error: each pins the file, line, column, key path, message and suggestion.</summary>
public sealed class DefinitionErrorTests
{
    private static YamlError Expect(
        IReadOnlyList<YamlError> errors, int line, int column, string keyPath, string message, string? suggestion = null)
    {
        var error = errors.SingleOrDefault(e => e.Line == line && e.Column == column && e.KeyPath == keyPath);
        Assert.True(error is not null, $"no error at {line}:{column} {keyPath}; got:\n{string.Join("\n", errors)}");
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(suggestion, error.Suggestion);
        return error;
    }

    [Fact]
    public void Misspelled_key_names_its_position_and_the_nearest_valid_key()
    {
        var errors = ConfigDirectory.ErrorsOf("""
            kind: Check
            name: c
            plugin: nagios.check_disk
            evrey: 60s
            targets: { tags: [linux] }
            """);
        var error = Expect(errors, 4, 1, "evrey", "unknown key for Check", "every");
        Assert.EndsWith("defs.yaml:4:1: evrey: unknown key for Check (did you mean 'every'?)", error.ToString(), StringComparison.Ordinal);
        Expect(errors, 1, 1, "every", "missing required key");
        Assert.Equal(2, errors.Count);
    }

    [Fact]
    public void A_key_of_another_kind_says_where_it_belongs()
    {
        var errors = ConfigDirectory.ErrorsOf("kind: Collector\nname: c\nplugin: a.b\nevery: 1m\ntargets: { tags: [t] }\nhandlers: [h]\n");
        Expect(errors, 6, 1, "handlers", "unknown key for Collector ('handlers' is a key of Check)");
    }

    [Fact]
    public void The_key_table_used_for_hints_matches_what_each_kind_accepts()
    {
        Assert.Equal(Enum.GetValues<DefinitionKind>(), DefinitionKeys.TopLevel.Keys.Order());
        foreach (var (kindValue, keys) in DefinitionKeys.TopLevel)
        {
            var kind = DefinitionKinds.Of(kindValue).YamlName;
            // Every key of the table is accepted (null values keep the check to key names).
            var yaml = string.Join('\n', keys.Select(key => key == "kind" ? $"kind: {kind}" : $"{key}: ~"));
            using var config = new ConfigDirectory();
            config.Write("defs.yaml", yaml);
            var unknown = config.Load().Errors.Where(e => e.Message.StartsWith("unknown key", StringComparison.Ordinal)).ToArray();
            Assert.True(unknown.Length == 0, $"{kind}: {string.Join("; ", unknown.Select(e => e.ToString()))}");
        }
    }

    [Fact]
    public void Misspelled_nested_keys_carry_their_key_path()
    {
        var errors = ConfigDirectory.ErrorsOf("""
            kind: Apply
            name: a
            targets: { tgas: [linux] }
            files:
              - path: /etc/motd
                contnet: hello
            rollout: { bacth: 1 }
            """);
        Expect(errors, 3, 12, "targets.tgas", "unknown key", "tags");
        Expect(errors, 3, 10, "targets", "targets can never match");
        Expect(errors, 6, 5, "files[0].contnet", "unknown key for an apply file", "content");
        Expect(errors, 5, 5, "files[0].template", "missing required key: template");
        Expect(errors, 7, 12, "rollout.bacth", "unknown key for rollout", "batch");
    }

    [Fact]
    public void Yaml_syntax_error_is_reported_with_its_position_and_other_files_are_still_checked()
    {
        var errors = ConfigDirectory.ErrorsOf(
            "kind: Check\nname: c\n  plugin: x\n",
            ("other.yaml", "kind: Chek\nname: x\n"));
        var syntax = Assert.Single(errors, e => e.File.EndsWith("defs.yaml", StringComparison.Ordinal));
        Assert.StartsWith("YAML syntax error: ", syntax.Message, StringComparison.Ordinal);
        Assert.Equal((3, 9), (syntax.Line, syntax.Column));
        var kind = Assert.Single(errors, e => e.File.EndsWith("other.yaml", StringComparison.Ordinal));
        Assert.Equal((1, 7, "kind", "Check"), (kind.Line, kind.Column, kind.KeyPath, kind.Suggestion));
    }

    [Fact]
    public void A_syntax_error_in_one_document_does_not_hide_errors_in_the_next()
    {
        var errors = ConfigDirectory.ErrorsOf("""
            %YAML 1.1
            # the directive and this comment belong to the first document
            ---
            kind: Handler
            name: broken
            exec: [/bin/true
            ---
            kind: Handler
            name: h
            exce: [/bin/true]
            --- # a comment after the marker
            kind: Check
            name: c
            plugin: a.b
            every: 1m
            targets: { tags: [t] }
            handlers: [h, broken, nope]
            """);
        var syntax = Assert.Single(errors, e => e.Message.StartsWith("YAML syntax error", StringComparison.Ordinal));
        Assert.Equal((7, 1), (syntax.Line, syntax.Column)); // where the unclosed list is found to end
        Expect(errors, 10, 1, "exce", "unknown key for Handler", "exec");
        Expect(errors, 8, 1, "exec", "missing required key");
        Expect(errors, 17, 23, "handlers[2]", "unknown handler 'nope'");

        // A document that could not be parsed defines nothing, so names it would have defined are unknown too.
        Expect(errors, 17, 15, "handlers[1]", "unknown handler 'broken'");
        Assert.Equal(5, errors.Count);
    }

    [Theory]
    [InlineData("Chek", "Check")]
    [InlineData("check", "Check")]
    [InlineData("Colector", "Collector")]
    [InlineData("Handlr", "Handler")]
    [InlineData("Frobnicator", null)]
    public void Unknown_kind_suggests_the_nearest_kind(string kind, string? suggestion)
    {
        var errors = ConfigDirectory.ErrorsOf($"name: x\nkind: {kind}\n");
        Assert.Single(errors);
        Expect(errors, 2, 7, "kind", $"unknown kind '{kind}'", suggestion);
    }

    [Fact]
    public void Missing_required_keys_are_each_reported_at_the_document()
    {
        var errors = ConfigDirectory.ErrorsOf("""
            # a comment first
            kind: Check
            params: { a: b }
            """);
        Expect(errors, 2, 1, "name", "missing required key");
        Expect(errors, 2, 1, "plugin", "missing required key");
        Expect(errors, 2, 1, "every", "missing required key: a schedule");
        Expect(errors, 2, 1, "targets", "missing required key");
        Assert.Equal(4, errors.Count);
    }

    [Fact]
    public void Wrong_types_say_what_was_expected_and_what_was_found()
    {
        var errors = ConfigDirectory.ErrorsOf("""
            kind: Collector
            name: { a: 1 }
            plugin: system.node
            params: [a, b]
            every: 15s
            targets:
              tags: linux
            """);
        Expect(errors, 2, 7, "name", "expected a single value, found a mapping");
        Expect(errors, 4, 9, "params", "expected a mapping (key: value lines), found a list");
        Expect(errors, 7, 9, "targets.tags", "expected a list, found 'linux'", "[linux]");
        Expect(errors, 7, 3, "targets", "targets can never match");
    }

    [Fact]
    public void Params_need_single_values()
    {
        var errors = ConfigDirectory.ErrorsOf("kind: Check\nname: c\nplugin: a.b\nevery: 1m\ntargets: { tags: [t] }\nparams:\n  path:\n  levels: [1, 2]\n  empty: \"\"\n");
        Expect(errors, 7, 3, "params.path", "needs a value");
        Expect(errors, 8, 11, "params.levels", "expected a single value, found a list");
        Assert.Equal(2, errors.Count);
    }

    [Fact]
    public void Bad_durations_explain_the_expected_form()
    {
        var errors = ConfigDirectory.ErrorsOf("""
            kind: Check
            name: c
            plugin: nagios.check_disk
            every: 60
            timeout: 10 seconds
            ttl: 0s
            targets: { hosts: [web01] }
            """);
        Expect(errors, 4, 8, "every", "bad duration: '60' has no unit; write e.g. 60s");
        Expect(errors, 5, 10, "timeout", "bad duration: '10 seconds' is not a duration: unexpected ' '");
        Expect(errors, 6, 6, "ttl", "must be more than zero");
    }

    [Fact]
    public void Bad_cron_and_time_zone_are_reported_at_their_values()
    {
        var errors = ConfigDirectory.ErrorsOf("""
            kind: Check
            name: c
            plugin: nagios.check_disk
            cron: "61 * * * *"
            targets: { hosts: [web01] }
            ---
            kind: Collector
            name: c
            plugin: system.node
            cron: "0 9 * * MON-FRI"
            time_zone: Europe/Pari
            targets: { hosts: [web01] }
            ---
            kind: Collector
            name: d
            plugin: system.node
            every: 1m
            cron: "* * * * *"
            time_zone: UTC
            targets: { hosts: [web01] }
            """);
        Expect(errors, 4, 7, "cron", "bad cron: minute field '61': '61' is not a value in 0-59");
        Expect(errors, 11, 12, "time_zone", "unknown time zone 'Europe/Pari'", "Europe/Paris");
        Expect(errors, 18, 1, "cron", "give either every or cron, not both");
    }

    [Fact]
    public void Time_zone_without_cron_and_round_robin_on_an_apply_are_errors()
    {
        var errors = ConfigDirectory.ErrorsOf("""
            kind: Collector
            name: c
            plugin: system.node
            every: 1m
            time_zone: UTC
            targets: { hosts: [web01] }
            ---
            kind: Apply
            name: a
            targets: { tags: [web], round_robin: true }
            files: [{ path: /etc/x, content: x }]
            """);
        Expect(errors, 5, 1, "time_zone", "time_zone applies only to cron schedules");
        Expect(errors, 10, 25, "targets.round_robin", "round_robin is only for checks and collectors");
        Assert.Equal(2, errors.Count);
    }

    [Fact]
    public void Unknown_handler_reference_suggests_a_defined_handler()
    {
        var errors = ConfigDirectory.ErrorsOf(
            """
            kind: Check
            name: c
            plugin: nagios.check_disk
            every: 1m
            targets: { tags: [linux] }
            handlers: [log-alret, log-alert]
            """,
            ("handlers.yaml", "kind: Handler\nname: log-alert\nexec: [/usr/bin/logger]\n"));
        Assert.Single(errors);
        Expect(errors, 6, 12, "handlers[0]", "unknown handler 'log-alret'", "log-alert");
    }

    [Fact]
    public void Unknown_group_reference_on_a_host_is_reported()
    {
        var errors = ConfigDirectory.ErrorsOf("kind: Host\nname: web01\ngroups: [frontend]\n---\nkind: Group\nname: frontends\n");
        Expect(errors, 3, 10, "groups[0]", "unknown group 'frontend'", "frontends");
    }

    [Fact]
    public void Duplicate_name_points_at_the_second_and_names_the_first()
    {
        using var config = new ConfigDirectory();
        var first = config.Write("a.yaml", "kind: Handler\nname: disk\nexec: [/bin/true]\n");
        config.Write("b.yaml", "# same name, other kind: fine\nkind: Check\nname: disk\nplugin: a.b\nevery: 1m\ntargets: { hosts: [h] }\n---\nkind: Handler\nname: disk\nexec: [/bin/false]\n");
        var errors = config.Load().Errors;
        var error = Expect(errors, 9, 7, "name", $"duplicate Handler name 'disk' (first defined at {first}:2:7)");
        Assert.EndsWith("b.yaml", error.File, StringComparison.Ordinal);
        Assert.Single(errors);
    }

    [Theory]
    [InlineData("check_disk")]
    [InlineData("nagios.check.disk")]
    [InlineData("nagios.")]
    [InlineData("nagios check_disk")]
    public void Plugin_must_be_plugin_dot_command(string plugin)
    {
        var errors = ConfigDirectory.ErrorsOf($"kind: Collector\nname: c\nplugin: {plugin}\nevery: 1m\ntargets: {{ hosts: [h] }}\n");
        Expect(errors, 3, 9, "plugin", "is not of the form <plugin>.<command>");
    }

    [Theory]
    [InlineData("{ hosts: [], tags: [] }", "targets can never match")]
    [InlineData("{ round_robin: true }", "round_robin needs exactly one tag")]
    [InlineData("{ tags: [a, b], round_robin: true }", "round_robin needs exactly one tag (its agents share the work), found 2")]
    public void Targets_that_can_never_match_are_errors(string targets, string message)
    {
        var errors = ConfigDirectory.ErrorsOf($"kind: Check\nname: c\nplugin: a.b\nevery: 1m\ntargets: {targets}\n");
        Expect(errors, 5, 10, "targets", message);
    }

    [Fact]
    public void Apply_files_need_exactly_one_of_template_and_content_and_the_template_must_exist()
    {
        var errors = ConfigDirectory.ErrorsOf(
            """
            kind: Apply
            name: a
            targets: { tags: [linux] }
            files:
              - path: /etc/one
                template: templates/one.scriban
                content: inline
              - path: /etc/two
              - path: /etc/three
                template: templates/missing.scriban
              - path: /etc/four
                template: templates/here.scriban
              - path: relative/five
                content: x
              - path: /etc/six
                template: ../outside.scriban
            """,
            ("templates/here.scriban", "{{ host.name }}"));
        Expect(errors, 5, 5, "files[0]", "either template or content, not both");
        Expect(errors, 8, 5, "files[1].template", "missing required key: template (a file under the config directory) or content");
        Expect(errors, 10, 15, "files[2].template", "template 'templates/missing.scriban' not found under");
        Expect(errors, 13, 11, "files[4].path", "'relative/five' must be an absolute path");
        Expect(errors, 16, 15, "files[5].template", "'../outside.scriban' leaves the config directory");
        Assert.Equal(5, errors.Count);
    }

    [Theory]
    [InlineData("\"0999\"")]
    [InlineData("rw-r--r--")]
    [InlineData("\"12345\"")]
    public void Bad_file_mode_is_an_error(string mode)
    {
        var errors = ConfigDirectory.ErrorsOf($"kind: Apply\nname: a\ntargets: {{ tags: [t] }}\nfiles:\n  - path: /etc/x\n    content: x\n    mode: {mode}\n");
        Expect(errors, 7, 11, "files[0].mode", "is not an octal file mode");
    }

    [Fact]
    public void Validate_command_must_name_the_new_file()
    {
        var errors = ConfigDirectory.ErrorsOf("kind: Apply\nname: a\ntargets: { tags: [t] }\nfiles:\n  - path: /etc/x\n    content: x\n    validate: nginx -t\n");
        Expect(errors, 7, 15, "files[0].validate", "validate must contain %s");
    }

    [Theory]
    [InlineData("batch: lots", 19, "rollout.batch", "'lots' is not a number or a percentage")]
    [InlineData("batch: 0", 19, "rollout.batch", "must be at least 1")]
    [InlineData("max_failures: 150%", 26, "rollout.max_failures", "'150%' is more than 100%")]
    [InlineData("max_failures: -1", 26, "rollout.max_failures", "'-1' is not a number or a percentage")]
    public void Rollout_amounts_must_be_numbers_or_percentages(string entry, int column, string keyPath, string message)
    {
        var errors = ConfigDirectory.ErrorsOf($"kind: Apply\nname: a\ntargets: {{ tags: [t] }}\nfiles: [{{ path: /x, content: y }}]\nrollout: {{ {entry} }}\n");
        Expect(errors, 5, column, keyPath, message);
    }

    [Fact]
    public void Handler_needs_exec_or_webhook_and_a_valid_url_and_states()
    {
        var errors = ConfigDirectory.ErrorsOf("""
            kind: Handler
            name: none
            ---
            kind: Handler
            name: bad-url
            webhook: { url: "ftp://x/y" }
            filter: { states: [CRITCAL], occurences: 2 }
            ---
            kind: Handler
            name: both
            exec: []
            webhook: { url: "http://x/" }
            ---
            kind: Handler
            name: hook-timeout
            webhook: { url: "http://x/" }
            timeout: 5s
            ---
            kind: Handler
            name: empty-exec
            exec: []
            ---
            kind: Handler
            name: relative
            exec: [logger, -t, narada]
            """);
        Expect(errors, 1, 1, "exec", "missing required key: a command");
        Expect(errors, 6, 17, "webhook.url", "'ftp://x/y' is not an absolute http or https URL");
        Expect(errors, 7, 20, "filter.states[0]", "unknown state 'CRITCAL'", "CRITICAL");
        Expect(errors, 7, 30, "filter.occurences", "unknown key for filter", "occurrences");
        Expect(errors, 12, 1, "webhook", "give either exec or webhook, not both");
        Expect(errors, 17, 1, "timeout", "timeout is for exec handlers; a webhook takes webhook.timeout");
        Expect(errors, 21, 7, "exec", "exec needs at least the command to run");
        Expect(errors, 25, 8, "exec[0]", "'logger' must be an absolute path");
        Assert.Equal(8, errors.Count);
    }

    [Fact]
    public void Tags_and_host_names_must_be_usable_in_gearman_function_names()
    {
        var errors = ConfigDirectory.ErrorsOf("kind: Group\nname: g\ntags: [ok, \"has space\"]\nhosts: [web01, \"@bad\"]\n");
        Expect(errors, 3, 12, "tags[1]", "'has space' is not a valid tag");
        Expect(errors, 4, 16, "hosts[1]", "'@bad' is not a valid host name");
        Assert.Equal(2, errors.Count);
    }

    [Fact]
    public void A_document_that_is_not_a_mapping_or_has_a_bad_name_is_reported()
    {
        var errors = ConfigDirectory.ErrorsOf("- just\n- a list\n---\nkind: Handler\nname: has space\nexec: [/bin/true]\n");
        Expect(errors, 1, 1, "", "expected a mapping (key: value lines), found a list");
        Expect(errors, 5, 7, "name", "'has space' is not a valid name");
    }

    [Fact]
    public void All_errors_of_all_files_are_collected_in_file_and_position_order()
    {
        using var config = new ConfigDirectory();
        config.Write("b.yaml", "kind: Check\nname: c\nplugin: x\nevery: 5\ntargets: {}\n");
        config.Write("a.yaml", "kind: Chek\n---\nkind: Handler\nname: h\nexec: [/bin/true]\ntimout: 5s\n");
        var errors = config.Load().Errors;
        Assert.Equal(
            ["a.yaml:1:7 kind", "a.yaml:6:1 timout", "b.yaml:3:9 plugin", "b.yaml:4:8 every", "b.yaml:5:10 targets"],
            errors.Select(e => $"{Path.GetFileName(e.File)}:{e.Line}:{e.Column} {e.KeyPath}"));
    }

    [Fact]
    public void Absurd_nesting_is_refused_with_a_position_instead_of_exhausting_the_stack()
    {
        var flow = ConfigDirectory.ErrorsOf("kind: Group\nname: g\nvars: " + new string('[', 5000));
        Expect(flow, 3, 71, "", "more than 64 nested [ or {");

        var block = string.Concat(Enumerable.Range(0, 100).Select(i => new string(' ', i) + "a:\n"));
        Expect(ConfigDirectory.ErrorsOf(block), 65, 65, "", "nesting deeper than 64 levels");
    }
}
