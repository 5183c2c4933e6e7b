using Narada.Agent.Manifests;
using Narada.Core.Execution;
using Narada.Testing;

namespace Narada.Agent.Tests.Manifests;

[Trait("Category", "Peers")]
public sealed class NagiosManifestTests
{
    private static readonly ManifestCatalog Catalog = RepoPlugins.Catalog;

    private static ResolvedCommand Resolved(string command, params (string Key, string Value)[] parameters)
    {
        var result = Catalog.Resolve(command, parameters.ToDictionary(p => p.Key, p => p.Value));
        return Assert.IsType<ResolvedCommand>(result);
    }

    private static ResolveError Error(string command, params (string Key, string Value)[] parameters)
    {
        var result = Catalog.Resolve(command, parameters.ToDictionary(p => p.Key, p => p.Value));
        return Assert.IsType<ResolveError>(result);
    }

    [Fact]
    public void Repository_manifests_load_without_errors_or_warnings_on_this_machine()
    {
        RequiredTool.Path("check_dummy", "monitoring-plugins-basic");

        Assert.True(Catalog.Diagnostics.Count == 0, string.Join("\n", Catalog.Diagnostics));
        string[] wrapped = ["check_disk", "check_load", "check_procs", "check_users", "check_swap", "check_tcp", "check_http", "check_dummy"];
        Assert.Subset(Catalog.AvailableCommands.ToHashSet(), wrapped.Select(c => $"nagios.{c}").ToHashSet());
        Assert.All(wrapped, c => Assert.Equal("nagios", Catalog.Find("nagios", c)!.Output));
    }

    [Fact]
    public void Check_disk_builds_exact_argv_from_params_and_defaults()
    {
        var custom = Resolved("nagios.check_disk", ("warning", "15%"), ("critical", "5%"), ("path", "/var/../tmp/"), ("units", "GB"));
        Assert.Equal("/usr/lib/nagios/plugins/check_disk", custom.Executable);
        Assert.Equal(["-w", "15%", "-c", "5%", "-u", "GB", "-p", "/tmp"], custom.Arguments);
        Assert.Equal("nagios", custom.Output);
        Assert.Equal(TimeSpan.FromSeconds(10), custom.Timeout);

        var defaults = Resolved("nagios.check_disk");
        Assert.Equal(["-w", "20%", "-c", "10%", "-p", "/"], defaults.Arguments);
    }

    [Fact]
    public void Placeholders_inside_text_and_several_per_argument_are_filled()
    {
        Assert.Equal(["-w", "2.5,10,5", "-c", "30,25,20"], Resolved("nagios.check_load", ("warning1", "2.50")).Arguments);
        Assert.Equal(["-c", "1:", "--metric=PROCS", "-C", "sshd"], Resolved("nagios.check_procs", ("critical", "1:"), ("command", "sshd")).Arguments);
        Assert.Equal(["-H", "127.0.0.1", "-p", "8080", "-t", "3"], Resolved("nagios.check_tcp", ("port", "8080"), ("timeout", "2500ms")).Arguments);
    }

    [Fact]
    public void Unknown_parameter_is_an_error_that_suggests_the_nearest_name()
    {
        var error = Error("nagios.check_disk", ("warnng", "10%"));

        Assert.Equal(ResolveErrorKind.UnknownParameter, error.Kind);
        Assert.Contains("'warnng' (did you mean 'warning'?)", error.Message);
    }

    [Theory]
    [InlineData("2x%")]
    [InlineData("10:5")]
    [InlineData("@")]
    [InlineData("~")]
    [InlineData("")]
    [InlineData("150%")]
    [InlineData("10 ; rm -rf /")]
    public void Bad_threshold_is_rejected_naming_the_rule(string threshold)
    {
        var error = Error("nagios.check_disk", ("warning", threshold));

        Assert.Equal(ResolveErrorKind.InvalidValue, error.Kind);
        Assert.Contains("parameter 'warning'", error.Message);
        Assert.Contains("threshold", error.Message);
    }

    [Fact]
    public void Unknown_plugin_command_missing_and_invalid_values_say_why()
    {
        Assert.Contains("did you mean 'nagios'", Error("nagois.check_disk").Message);
        Assert.Equal(ResolveErrorKind.UnknownCommand, Error("nagios.check_dsk").Kind);
        Assert.Contains("did you mean 'check_disk'", Error("nagios.check_dsk").Message);
        Assert.Equal(ResolveErrorKind.MalformedName, Error("check_disk").Kind);
        Assert.Equal(ResolveErrorKind.MissingParameter, Error("nagios.check_tcp").Kind);
        Assert.Contains("'port'", Error("nagios.check_tcp").Message);
        Assert.Contains("outside 1..65535", Error("nagios.check_tcp", ("port", "70000")).Message);
        Assert.Contains("not an absolute path", Error("nagios.check_disk", ("path", "etc")).Message);
        Assert.Contains("is not one of", Error("nagios.check_dummy", ("state", "4")).Message);
        Assert.Contains("must not start with '-'", Error("nagios.check_dummy", ("state", "0"), ("text", "--help")).Message);
        Assert.Contains("does not match the pattern", Error("nagios.check_procs", ("command", "sshd;id")).Message);
    }

    [Fact]
    public async Task Resolved_check_dummy_runs_end_to_end_with_its_state_and_text()
    {
        var command = Resolved("nagios.check_dummy", ("state", "2"), ("text", "disk on fire; $(id)"));

        var result = await new ProcessExecutor().RunAsync(command.ToProcessSpec());

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("CRITICAL: disk on fire; $(id)\n", result.Stdout);
    }

    [Fact]
    public async Task Resolved_check_disk_runs_and_reports_the_root_file_system()
    {
        var result = await new ProcessExecutor().RunAsync(Resolved("nagios.check_disk", ("warning", "1%"), ("critical", "1%")).ToProcessSpec());

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("DISK OK", result.Stdout);
        Assert.Contains("/=", result.Stdout);
    }
}
