using Narada.Testing;

namespace Narada.Cli.Tests.Verbs;

public sealed class ValidateVerbTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("narada-validate-").FullName;

    [Fact]
    public async Task The_shipped_config_validates()
    {
        var result = await NaradaCli.RunAsync(["validate", RepoPaths.Config]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("ok (3 checks, 1 collectors", result.Stdout);
    }

    [Fact]
    public async Task The_shipped_agent_configuration_checks_ok_with_the_shipped_plugins()
    {
        var result = await NaradaCli.RunAsync(["agent", "--check", "--config", Path.Combine(RepoPaths.Root, "agents", "agent.yaml")]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"plugin directory {RepoPaths.Plugins}", result.Stdout);
        Assert.Contains("apply: at or under /etc/motd", result.Stdout);
        Assert.Contains("configuration ok", result.Stdout);
    }

    [Fact]
    public async Task Errors_name_file_line_column_and_a_suggestion_and_exit_non_zero()
    {
        File.WriteAllText(Path.Combine(_dir, "checks.yaml"), """
            kind: Check
            name: disk
            plugin: nagios.check_disk
            evrey: 60s
            targets: { tags: [linux] }
            """);
        var result = await NaradaCli.RunAsync(["validate", _dir]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("checks.yaml:4:1: ", result.Stderr);
        Assert.Contains("did you mean 'every'?", result.Stderr);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
