using Narada.Agent.Manifests;

namespace Narada.Agent.Tests.Manifests;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ManifestLoadTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("narada-manifests-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Write(string plugin, string yaml)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_root, plugin)).FullName;
        var file = Path.Combine(dir, "plugin.yaml");
        File.WriteAllText(file, yaml.Replace("\r\n", "\n"));
        return file;
    }

    [Fact]
    public void Unknown_key_is_reported_at_its_line_and_column_with_a_suggestion_and_only_that_command_is_skipped()
    {
        var file = Write("demo", """
            plugin: demo
            commands:
              good:
                exec: /bin/echo
              bad:
                exec: /bin/echo
                timeot: 5s
            """);

        var catalog = ManifestCatalog.Load([_root]);

        var error = Assert.Single(catalog.Diagnostics);
        Assert.Equal(ManifestSeverity.Error, error.Severity);
        Assert.Equal((file, 7, 5), (error.Position.File, error.Position.Line, error.Position.Column));
        Assert.Contains("commands.bad.timeot: unknown key for a command (did you mean 'timeout'?)", error.Message);
        Assert.Equal(["demo.good"], catalog.AvailableCommands);
    }

    [Fact]
    public void Hooks_are_read_and_a_hook_on_an_unknown_state_or_command_skips_its_command_with_the_reason()
    {
        var file = Write("web", """
            plugin: web
            commands:
              check:
                exec: /bin/true
                hooks:
                  - { on: [CRITICAL, unknown], run: status }
              typo:
                exec: /bin/true
                hooks:
                  - { on: CRITCAL, run: status }
              missing:
                exec: /bin/true
                hooks:
                  - { on: [WARNING], run: stauts }
              status:
                exec: /bin/echo
            """);

        var catalog = ManifestCatalog.Load([_root]);

        var hook = Assert.Single(catalog.Find("web", "check")!.Hooks);
        Assert.Equal("status", hook.Command);
        Assert.Equal([Narada.Core.Formats.CheckStatus.Critical, Narada.Core.Formats.CheckStatus.Unknown], hook.On.Order());
        Assert.Equal(["web.check", "web.status"], catalog.AvailableCommands);
        var errors = catalog.Diagnostics.Select(d => $"{d.Position.Line}:{d.Position.Column} {d.Message}").ToArray();
        Assert.Contains(errors, e => e.StartsWith("10:15 ", StringComparison.Ordinal) && e.Contains("unknown state 'CRITCAL'") && e.Contains("did you mean 'CRITICAL'"));
        Assert.Contains(errors, e => e.Contains("web.missing: hook runs 'stauts', which this manifest does not declare", StringComparison.Ordinal));
        Assert.Equal(file, catalog.Diagnostics[0].Position.File);
    }

    [Fact]
    public void Default_that_breaks_its_own_type_is_an_error_at_the_default()
    {
        var file = Write("demo", """
            plugin: demo
            commands:
              c:
                exec: /bin/echo
                args: ["{limit}"]
                params:
                  limit: { type: threshold, default: "ten" }
            """);

        var error = Assert.Single(ManifestCatalog.Load([_root]).Diagnostics);

        Assert.Equal((file, 7, 42), (error.Position.File, error.Position.Line, error.Position.Column));
        Assert.Contains("default 'ten' is not a threshold", error.Message);
    }

    [Fact]
    public void Placeholder_for_an_undeclared_parameter_is_an_error()
    {
        Write("demo", """
            plugin: demo
            commands:
              c:
                exec: /bin/echo
                args: ["--port={prot}"]
                params:
                  port: { type: int }
            """);

        var error = Assert.Single(ManifestCatalog.Load([_root]).Diagnostics);

        Assert.Equal(5, error.Position.Line);
        Assert.Contains("'{prot}' names no declared parameter (did you mean 'port'?)", error.Message);
    }

    [Fact]
    public void Missing_program_is_a_warning_and_the_command_resolves_to_unavailable()
    {
        Write("demo", """
            plugin: demo
            commands:
              gone:
                exec: /usr/lib/nagios/plugins/check_nothing_here
            """);

        var catalog = ManifestCatalog.Load([_root]);

        var warning = Assert.Single(catalog.Diagnostics);
        Assert.Equal(ManifestSeverity.Warning, warning.Severity);
        Assert.Contains("check_nothing_here does not exist", warning.Message);
        Assert.Empty(catalog.AvailableCommands);
        var error = Assert.IsType<ResolveError>(catalog.Resolve("demo.gone", new Dictionary<string, string>()));
        Assert.Equal(ResolveErrorKind.Unavailable, error.Kind);
    }

    [Fact]
    public void Yaml_syntax_error_skips_the_file_with_its_position_and_other_plugins_still_load()
    {
        var broken = Write("broken", "plugin: broken\ncommands:\n  c: [exec, \n");
        Write("fine", "plugin: fine\ncommands:\n  c:\n    exec: /bin/true\n");

        var catalog = ManifestCatalog.Load([_root, Path.Combine(_root, "does-not-exist")]);

        var error = Assert.Single(catalog.Diagnostics);
        Assert.Equal(broken, error.Position.File);
        Assert.Equal(4, error.Position.Line);
        Assert.EndsWith("(file skipped)", error.Message);
        Assert.Equal(["fine.c"], catalog.AvailableCommands);
    }

    [Fact]
    public void A_flow_list_left_open_before_the_next_key_skips_the_file_instead_of_crashing_the_agent()
    {
        // YamlDotNet throws InvalidOperationException, not a YamlException, on this shape: it used to escape the loader.
        var broken = Write("open", "plugin: open\ncommands:\n  c:\n    args: [--x=1\n    exec: /bin/true\n");
        Write("fine", "plugin: fine\ncommands:\n  c:\n    exec: /bin/true\n");

        var catalog = ManifestCatalog.Load([_root]);

        var error = Assert.Single(catalog.Diagnostics);
        Assert.Equal(broken, error.Position.File);
        Assert.Contains("YAML syntax error", error.Message, StringComparison.Ordinal);
        Assert.Equal(["fine.c"], catalog.AvailableCommands);
    }

    [Fact]
    public void Relative_exec_is_resolved_against_the_manifest_directory_and_env_is_templated()
    {
        var file = Write("local", """
            plugin: local
            commands:
              run:
                exec: run.sh
                args: [[--mode, "{mode}"]]
                params:
                  mode: { type: enum, values: [fast, slow] }
                env: { MODE: "{mode}", FIXED: "yes" }
            """);
        var script = Path.Combine(Path.GetDirectoryName(file)!, "run.sh");
        File.WriteAllText(script, "#!/bin/sh\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        var catalog = ManifestCatalog.Load([_root]);
        Assert.Empty(catalog.Diagnostics);

        var with = Assert.IsType<ResolvedCommand>(catalog.Resolve("local.run", new Dictionary<string, string> { ["mode"] = "slow" }));
        Assert.Equal(script, with.Executable);
        Assert.Equal(["--mode", "slow"], with.Arguments);
        Assert.Equal(new Dictionary<string, string> { ["MODE"] = "slow", ["FIXED"] = "yes" }, with.Environment);

        var without = Assert.IsType<ResolvedCommand>(catalog.Resolve("local.run", new Dictionary<string, string>()));
        Assert.Empty(without.Arguments);
        Assert.Equal(new Dictionary<string, string> { ["FIXED"] = "yes" }, without.Environment);
    }

    [Fact]
    public void Duplicate_plugin_name_keeps_the_first_and_warns()
    {
        Write("a", "plugin: same\ncommands:\n  one:\n    exec: /bin/true\n");
        var second = Write("b", "plugin: same\ncommands:\n  two:\n    exec: /bin/true\n");

        var catalog = ManifestCatalog.Load([_root]);

        Assert.Equal(["same.one"], catalog.AvailableCommands);
        var warning = Assert.Single(catalog.Diagnostics);
        Assert.Equal(second, warning.Position.File);
    }

    [Theory]
    [InlineData("plugin: system\ncommands: {}\n", "reserved")]
    [InlineData("commands: {}\n", "plugin: missing required key")]
    [InlineData("plugin: x\ncommands:\n  c:\n    exec: /bin/true\n    output: promethus\n", "(did you mean 'prometheus'?)")]
    [InlineData("plugin: x\ncommands:\n  c:\n    exec: /bin/true\n    params:\n      p: { type: strng }\n", "(did you mean 'string'?)")]
    [InlineData("plugin: x\ncommands:\n  c:\n    exec: /bin/true\n    params:\n      p: { type: enum }\n", "non-empty 'values'")]
    [InlineData("plugin: x\ncommands:\n  c:\n    exec: /bin/true\n    params:\n      p: { type: int, pattern: x }\n", "params.p.pattern: unknown key for a parameter of type int")]
    [InlineData("plugin: x\ncommands:\n  c:\n    exec: /bin/true\n    params:\n      p: { pattern: \"(\" }\n", "not a valid regular expression")]
    [InlineData("plugin: x\ncommands:\n  c:\n    exec: /bin/true\n    args: [\"{p\"]\n    params:\n      p: {}\n", "is not closed")]
    [InlineData("plugin: x\ncommands:\n  c:\n    exec: /bin/true\n    timeout: 2d\n", "'2d' is more than 1h")]
    [InlineData("plugin: x\ncommands:\n  c:\n    exec: /bin/true\n    timeout: 10\n", "has no unit")]
    public void Bad_manifests_are_rejected_with_a_reason(string yaml, string reason)
    {
        Write("x", yaml);

        var error = Assert.Single(ManifestCatalog.Load([_root]).Diagnostics);

        Assert.Equal(ManifestSeverity.Error, error.Severity);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void A_manifest_timeout_takes_the_grammar_checks_take()
    {
        // 1m30s was refused in a manifest while accepted in a check: one Duration now reads both.
        Write("x", "plugin: x\ncommands:\n  c:\n    exec: /bin/true\n    timeout: 1m30s\n  d:\n    exec: /bin/true\n    timeout: 1.5m\n");

        var catalog = ManifestCatalog.Load([_root]);

        Assert.Empty(catalog.Errors);
        var commands = catalog.Plugins.Single().Commands;
        Assert.Equal(TimeSpan.FromSeconds(90), commands["c"].Timeout);
        Assert.Equal(TimeSpan.FromSeconds(90), commands["d"].Timeout);
    }

    [Fact]
    public void Every_error_of_a_command_is_reported_at_once()
    {
        Write("x", "plugin: x\ncommands:\n  c:\n    exec: /bin/true\n    timeout: soon\n    output: txt\n    argz: []\n");

        var errors = ManifestCatalog.Load([_root]).Errors.Select(e => e.Position.Line).ToArray();

        Assert.Equal([5, 6, 7], errors.Order());
    }
}
