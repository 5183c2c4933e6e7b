using Narada.Agent.Configuration;
using Narada.Agent.Tests.Manifests;
using Narada.Core.Yaml;
using Narada.Gearman.Transport;

namespace Narada.Agent.Tests.Configuration;

public sealed class AgentConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("narada-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string yaml)
    {
        var file = Path.Combine(_dir, "agent.yaml");
        File.WriteAllText(file, yaml.Replace("\r\n", "\n"));
        return file;
    }

    [Fact]
    public void Sample_config_loads_and_its_plugin_dirs_reach_the_repository_plugins()
    {
        var sample = Path.Combine(Path.GetDirectoryName(RepoPlugins.Directory)!, "agents", "agent.yaml");

        var config = AgentConfig.Load(sample);

        Assert.Equal([new ServerAddress("127.0.0.1", 4730)], config.Servers);
        Assert.Equal(Environment.MachineName, config.Name);
        Assert.Equal(["linux"], config.Tags);
        Assert.Equal([RepoPlugins.Directory, "/usr/lib/narada/plugins"], config.PluginDirs);
        Assert.Equal(8, config.Concurrency);
        Assert.Equal(TimeSpan.FromSeconds(30), config.HeartbeatInterval);
        Assert.Equal(1024 * 1024, config.OutputCap);
        Assert.Equal(TimeSpan.FromSeconds(30), config.StopTimeout);
        Assert.Equal(["/etc/motd"], config.Apply.Paths);
        Assert.Equal("/var/lib/narada/backup", config.Apply.BackupDir);
        Assert.Equal("narada.results", config.ResultsFunction);
    }

    [Fact]
    public void Empty_mapping_gives_defaults_with_plugins_next_to_the_file()
    {
        var config = AgentConfig.Load(Write("{}\n"));

        Assert.Equal([ServerAddress.Local], config.Servers);
        Assert.Equal([Path.Combine(_dir, "plugins"), AgentConfig.SystemPluginDir], config.PluginDirs);
        Assert.Empty(config.Tags);
        Assert.Empty(config.Apply.Paths);
        Assert.True(config.Concurrency >= 4);
    }

    [Fact]
    public void Values_are_parsed_and_paths_normalised()
    {
        var config = AgentConfig.Load(Write("""
            servers: [10.0.0.1, "10.0.0.2:4731", "[::1]:4732"]
            name: web01.example.com
            tags: [linux, web, linux]
            plugin_dirs: [my-plugins, /opt/narada/../narada/plugins/]
            concurrency: 3
            heartbeat_interval: 1500ms
            output_cap: 64KiB
            stop_timeout: 0s
            apply: { paths: [/etc/nginx/, /srv//www/../site], backup_dir: /var/backups/narada }
            results_function: custom.results
            """));

        Assert.Equal([new ServerAddress("10.0.0.1", 4730), new ServerAddress("10.0.0.2", 4731), new ServerAddress("::1", 4732)], config.Servers);
        Assert.Equal("web01.example.com", config.Name);
        Assert.Equal(["linux", "web"], config.Tags);
        Assert.Equal([Path.Combine(_dir, "my-plugins"), "/opt/narada/plugins"], config.PluginDirs);
        Assert.Equal(3, config.Concurrency);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), config.HeartbeatInterval);
        Assert.Equal(65536, config.OutputCap);
        Assert.Equal(TimeSpan.Zero, config.StopTimeout);
        Assert.Equal(["/etc/nginx", "/srv/site"], config.Apply.Paths);
        Assert.Equal("/var/backups/narada", config.Apply.BackupDir);
        Assert.Equal("custom.results", config.ResultsFunction);
    }

    [Fact]
    public void Command_line_overrides_win_over_the_file()
    {
        var file = Write("servers: [10.0.0.1]\nname: from-file\n");

        var config = AgentConfig.Load(file, new AgentConfigOverrides { Servers = [new ServerAddress("127.0.0.1", 5000)], Name = "from-cli" });

        Assert.Equal([new ServerAddress("127.0.0.1", 5000)], config.Servers);
        Assert.Equal("from-cli", config.Name);
        Assert.Throws<FormatException>(() => AgentConfig.Load(file, new AgentConfigOverrides { Name = "bad name" }));
    }

    [Theory]
    [InlineData("servers: [a]\nconcurency: 4\n", 2, 1, "concurency: unknown key (did you mean 'concurrency'?)")]
    [InlineData("servers: [\"h:99999\"]\n", 1, 11, "port must be a number")]
    [InlineData("servers: []\n", 1, 10, "at least one job server")]
    [InlineData("tags: [ok, \"bad tag\"]\n", 1, 12, "'bad tag' must be letters")]
    [InlineData("concurrency: 0\n", 1, 14, "whole number from 1 to 1024")]
    [InlineData("heartbeat_interval: 30\n", 1, 21, "bad duration: '30' has no unit")]
    [InlineData("heartbeat_interval: 500ms\n", 1, 21, "less than 1s")]
    [InlineData("output_cap: 1TB\n", 1, 13, "is not a byte size")]
    [InlineData("apply:\n  paths: [etc/motd]\n", 2, 11, "is not an absolute path")]
    [InlineData("apply:\n  path: [/etc]\n", 2, 3, "(did you mean 'paths'?)")]
    [InlineData("servers: [a\n", 2, 1, "")]
    [InlineData("name: [a, b]\n", 1, 7, "expected a single value")]
    [InlineData("- just\n- a list\n", 1, 1, "expected a mapping")]
    public void Bad_config_is_reported_with_file_line_and_column(string yaml, int line, int column, string reason)
    {
        var file = Write(yaml);

        var error = Assert.Throws<YamlFileException>(() => AgentConfig.Load(file));

        Assert.Equal(new SourcePosition(file, line, column), error.First.Position);
        Assert.Contains(reason, error.Message);
        Assert.StartsWith($"{file}:{line}:{column}: ", error.Message);
    }

    [Fact]
    public void Missing_file_is_a_clear_error()
    {
        var error = Assert.Throws<YamlFileException>(() => AgentConfig.Load(Path.Combine(_dir, "nope.yaml")));
        Assert.Contains("cannot read", error.Message);
    }

    [Fact]
    public void Every_error_in_the_file_is_reported_at_once_with_its_position()
    {
        var file = Write("concurrency: 0\nheartbeat_interval: soon\ntags: [\"a b\"]\n");

        var error = Assert.Throws<YamlFileException>(() => AgentConfig.Load(file));

        Assert.Equal([1, 2, 3], error.Errors.Select(e => e.Line).Order());
        Assert.Equal(3, error.Message.Split('\n').Length);
    }
}
