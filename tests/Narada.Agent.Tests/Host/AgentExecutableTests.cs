using System.Globalization;
using System.Text.Json;
using Narada.Testing;

namespace Narada.Agent.Tests.Host;

/// <summary>
/// narada-agent, the program every host runs, started as agents/systemd/narada-agent.service starts it: systemd accepts
/// the unit, its command line serves checks through a real gearmand, and SIGTERM stops it cleanly.
/// </summary>
[Trait("Category", "Peers")]
public sealed class AgentExecutableTests : IDisposable
{
    private const string InstalledPath = "/usr/bin/narada-agent";
    private const string InstalledConfig = "/etc/narada/agent.yaml";
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "narada-agent.dll");
    private static readonly string Dotnet =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
            ? host
            : RequiredTool.Path("dotnet", "dotnet-sdk-10.0");

    private readonly string _dir = Directory.CreateTempSubdirectory("narada-agent-unit-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly SystemdUnit Unit = new("agents", "systemd", "narada-agent.service");

    private static ExternalProcess Start(IEnumerable<string> args) => ExternalProcess.Start(Dotnet, [Dll, .. args]);

    private static Task<ProcessResult> RunAsync(IEnumerable<string> args) =>
        ExternalProcess.RunAsync(Dotnet, [Dll, .. args], timeout: TimeSpan.FromSeconds(30));

    [Fact]
    public async Task Systemd_analyze_verify_accepts_the_unit()
    {
        var verify = await Unit.VerifyAsync(Path.Combine(AppContext.BaseDirectory, "narada-agent"), _dir);

        Assert.True(verify.ExitCode == 0 && verify.Stderr.Length == 0 && verify.Stdout.Length == 0, verify.ToString());
    }

    [Fact]
    public void The_units_writable_paths_cover_where_the_sample_configs_applies_write_and_its_backup_dir_is_the_state_directory()
    {
        // A file is replaced by a temporary file renamed over it, so the directory that holds an applied file must be
        // writable: a directory root itself, or the directory of a root that is one file (/etc/motd needs /etc).
        var config = Narada.Agent.Configuration.AgentConfig.Load(Path.Combine(RepoPaths.Root, "agents", "agent.yaml"));
        var writable = Unit.Values("ReadWritePaths").Select(p => p.TrimStart('-')).ToArray();
        Assert.NotEmpty(config.Apply.Paths);
        foreach (var root in config.Apply.Paths)
        {
            var written = Directory.Exists(root) ? root : Path.GetDirectoryName(root)!;
            Assert.True(writable.Any(w => written == w || written.StartsWith(w.TrimEnd('/') + "/", StringComparison.Ordinal)),
                $"apply root {root} writes in {written}, which ReadWritePaths ({string.Join(" ", writable)}) does not cover");
        }

        var state = Assert.Single(Unit.Values("StateDirectory"));
        Assert.StartsWith($"/var/lib/{state}/", config.Apply.BackupDir + "/", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Its_command_line_serves_checks_through_gearmand_and_SIGTERM_stops_it_cleanly()
    {
        var argv = Unit.ExecStart;
        Assert.Equal([InstalledPath, "--config", InstalledConfig], argv);
        await using var gearmand = await GearmandServer.StartAsync();
        var config = Path.Combine(_dir, "agent.yaml");
        await File.WriteAllTextAsync(config, $"""
            servers: [{gearmand.Address}]
            name: unit01
            plugin_dirs: [{RepoPaths.Plugins}]
            heartbeat_interval: 1s
            """);

        // The unit's own arguments, with this test's file in place of the installed one.
        await using var agent = Start(argv.Skip(1).Select(a => a == InstalledConfig ? config : a));
        await Retry.UntilAsync(() => agent.Stdout.Contains("agent unit01 registered", StringComparison.Ordinal) || agent.HasExited,
            "narada-agent to register", TimeSpan.FromSeconds(30));
        Assert.False(agent.HasExited, agent.Stdout + agent.Stderr);

        var call = await ExternalProcess.RunAsync(RequiredTool.Gearman, ["-h", gearmand.Host, "-p", gearmand.Port.ToString(CultureInfo.InvariantCulture),
            "-f", "narada.check@unit01",
            """{"v":1,"id":"u1","kind":"check","name":"dummy","plugin":"nagios.check_dummy","params":{"state":"2","text":"from the unit"}}"""],
            timeout: TimeSpan.FromSeconds(20));
        Assert.True(call.ExitCode == 0, call.ToString());
        var result = JsonDocument.Parse(call.Stdout).RootElement;
        Assert.Equal(2, result.GetProperty("status").GetInt32());
        Assert.Equal("CRITICAL: from the unit", result.GetProperty("output").GetString());

        // systemd stops a service with SIGTERM (KillMode=mixed: to the agent only).
        var term = await ExternalProcess.RunAsync(RequiredTool.Path("kill", "procps"), ["-TERM", agent.Id.ToString(CultureInfo.InvariantCulture)]);
        Assert.Equal(0, term.ExitCode);
        var stopped = await agent.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(stopped.ExitCode == 0, stopped.ToString());
        Assert.Contains("agent unit01 stopped", stopped.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Its_reload_command_takes_a_changed_configuration_and_refuses_a_broken_one_without_stopping()
    {
        await using var gearmand = await GearmandServer.StartAsync();
        var config = Path.Combine(_dir, "agent.yaml");
        var local = Directory.CreateDirectory(Path.Combine(_dir, "plugins")).FullName;
        string Config(string tags) => $"""
            servers: [{gearmand.Address}]
            name: reload01
            tags: [{tags}]
            plugin_dirs: [{RepoPaths.Plugins}, {local}]
            """;
        await File.WriteAllTextAsync(config, Config("web"));
        await using var agent = Start(Unit.ExecStart.Skip(1).Select(a => a == InstalledConfig ? config : a));
        await Retry.UntilAsync(async () => await WorkersAsync(gearmand, "narada.check@tag:web") == 1 || agent.HasExited,
            "narada-agent to register", TimeSpan.FromSeconds(30));
        var reload = Unit.Values("ExecReload");
        Assert.Equal(["/bin/kill", "-HUP", "$MAINPID"], reload);
        Task<ProcessResult> ReloadAsync() =>
            ExternalProcess.RunAsync(reload[0], [.. reload[1..^1], agent.Id.ToString(CultureInfo.InvariantCulture)]);

        // A new tag: the agent registers again with it (SIGHUP used to end the agent).
        await File.WriteAllTextAsync(config, Config("web, db"));
        Assert.Equal(0, (await ReloadAsync()).ExitCode);
        await Retry.UntilAsync(async () => await WorkersAsync(gearmand, "narada.check@tag:db") == 1 || agent.HasExited,
            "the reloaded agent to serve its new tag", TimeSpan.FromSeconds(30));
        Assert.False(agent.HasExited, agent.Stdout + agent.Stderr);

        // A broken file is refused with its position, and the agent goes on as it was.
        await File.WriteAllTextAsync(config, Config("web, db") + "servers: [\n");
        Assert.Equal(0, (await ReloadAsync()).ExitCode);
        await Retry.UntilAsync(() => agent.Stdout.Contains("reload refused", StringComparison.Ordinal) || agent.HasExited,
            "the broken reload to be refused");
        Assert.Contains($"reload refused, the running agent goes on unchanged: {config}:", agent.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, await WorkersAsync(gearmand, "narada.check@tag:db"));
        Assert.False(agent.HasExited, agent.Stdout + agent.Stderr);

        // So is a manifest the new agent would skip: reloading would drop that plugin's commands.
        await File.WriteAllTextAsync(config, Config("web"));
        Directory.CreateDirectory(Path.Combine(local, "broken"));
        await File.WriteAllTextAsync(Path.Combine(local, "broken", "plugin.yaml"), "plugin: broken\ncommands:\n  c:\n    args: [--x=1\n    exec: /bin/true\n");
        Assert.Equal(0, (await ReloadAsync()).ExitCode);
        var refused = $"reload refused, the running agent goes on unchanged: {Path.Combine(local, "broken", "plugin.yaml")}:";
        await Retry.UntilAsync(() => agent.Stdout.Contains(refused, StringComparison.Ordinal) || agent.HasExited,
            "the reload with a broken manifest to be refused");
        Assert.Equal(1, await WorkersAsync(gearmand, "narada.check@tag:db"));

        var stopped = await StopAsync(agent);
        Assert.True(stopped.ExitCode == 0, stopped.ToString());
    }

    /// <summary>Workers gearmand counts for <paramref name="function"/> (0 when it does not know it).</summary>
    private static async Task<int> WorkersAsync(GearmandServer gearmand, string function)
    {
        var status = await ExternalProcess.RunAsync(RequiredTool.Gearadmin, ["-h", gearmand.Host, "-p",
            gearmand.Port.ToString(CultureInfo.InvariantCulture), "--status"]);
        var line = status.Stdout.Split('\n').FirstOrDefault(l => l.StartsWith(function + "\t", StringComparison.Ordinal));
        return line is null ? 0 : int.Parse(line.Split('\t')[3], CultureInfo.InvariantCulture);
    }

    private static async Task<ProcessResult> StopAsync(ExternalProcess agent)
    {
        var term = await ExternalProcess.RunAsync(RequiredTool.Path("kill", "procps"), ["-TERM", agent.Id.ToString(CultureInfo.InvariantCulture)]);
        Assert.Equal(0, term.ExitCode);
        return await agent.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Check_reports_the_configuration_and_fails_on_a_manifest_the_agent_would_skip()
    {
        var plugins = Directory.CreateDirectory(Path.Combine(_dir, "plugins")).FullName;
        Directory.CreateDirectory(Path.Combine(plugins, "fine"));
        await File.WriteAllTextAsync(Path.Combine(plugins, "fine", "plugin.yaml"), "plugin: fine\ncommands:\n  c:\n    exec: /bin/true\n");
        var config = Path.Combine(_dir, "agent.yaml");
        await File.WriteAllTextAsync(config, $"""
            servers: [127.0.0.1:1]
            name: check01
            plugin_dirs: [{plugins}]
            apply: {"{"} paths: [/etc/motd], commands: [/usr/bin/jq, /no/such/validator] {"}"}
            """);

        // Nothing listens on 127.0.0.1:1: a check connects nowhere.
        var ok = await RunAsync(["--check", "--config", config]);
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Contains("agent check01, tags [], job servers 127.0.0.1:1", ok.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 plugins, 1 of 1 commands available", ok.Stdout, StringComparison.Ordinal);
        Assert.Contains("warning: apply command /no/such/validator does not exist here", ok.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("configuration ok\n", ok.Stdout, StringComparison.Ordinal);

        Directory.CreateDirectory(Path.Combine(plugins, "broken"));
        var broken = Path.Combine(plugins, "broken", "plugin.yaml");
        await File.WriteAllTextAsync(broken, "plugin: broken\ncommands:\n  c:\n    args: [--x=1\n    exec: /bin/true\n");
        var failed = await RunAsync(["-t", "--config", config]);
        Assert.True(failed.ExitCode == 1, failed.ToString());
        Assert.Contains($"{broken}:", failed.Stdout, StringComparison.Ordinal);
        Assert.Contains("configuration has errors", failed.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_argument_or_a_broken_config_exits_2_saying_what_is_wrong()
    {
        var unknown = await RunAsync(["--bogus"]);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("unknown argument '--bogus'", unknown.Stderr, StringComparison.Ordinal);
        Assert.Contains("usage: narada-agent", unknown.Stderr, StringComparison.Ordinal);

        var broken = Path.Combine(_dir, "broken.yaml");
        await File.WriteAllTextAsync(broken, "servers: [127.0.0.1:4730\nname: x\n");
        var yaml = await RunAsync(["--config", broken]);
        Assert.Equal(2, yaml.ExitCode);
        Assert.Matches($@"^narada-agent: {System.Text.RegularExpressions.Regex.Escape(broken)}:\d+:\d+: YAML syntax error", yaml.Stderr);
        Assert.DoesNotContain("usage:", yaml.Stderr, StringComparison.Ordinal);

        var missing = await RunAsync(["--config", Path.Combine(_dir, "absent.yaml")]);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("absent.yaml", missing.Stderr, StringComparison.Ordinal);
    }
}
