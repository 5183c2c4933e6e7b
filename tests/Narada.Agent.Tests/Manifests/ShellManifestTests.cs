using CsCheck;
using Narada.Agent.Manifests;
using Narada.Core.Execution;

namespace Narada.Agent.Tests.Manifests;

public sealed class ShellManifestTests
{
    private static readonly ManifestCatalog Catalog = RepoPlugins.Catalog;

    [Fact]
    public async Task Filesystem_collector_prints_prometheus_text_matching_statfs()
    {
        var command = Assert.IsType<ResolvedCommand>(Catalog.Resolve("shell.filesystem", new Dictionary<string, string> { ["path"] = "/" }));
        Assert.Equal("prometheus", command.Output);

        var result = await new ProcessExecutor().RunAsync(command.ToProcessSpec());

        Assert.Equal(0, result.ExitCode);
        var size = result.Stdout.Split('\n').Single(l => l.StartsWith("shell_filesystem_size_bytes{", StringComparison.Ordinal));
        Assert.Contains("mountpoint=\"/\"", size);
        Assert.Equal(new DriveInfo("/").TotalSize, long.Parse(size[(size.LastIndexOf(' ') + 1)..]));
    }

    [Fact]
    public async Task Loadavg_collector_prints_graphite_lines_with_the_prefix()
    {
        var command = Assert.IsType<ResolvedCommand>(Catalog.Resolve("shell.loadavg", new Dictionary<string, string> { ["prefix"] = "servers.web01" }));

        var result = await new ProcessExecutor().RunAsync(command.ToProcessSpec());

        var lines = result.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(5, lines.Length);
        Assert.All(lines, l => Assert.Matches(@"^servers\.web01\.[a-z0-9.]+ [0-9.]+ [0-9]+$", l));
    }

    [Fact]
    public void Shell_syntax_in_a_prefix_is_rejected_before_anything_runs()
    {
        var error = Assert.IsType<ResolveError>(Catalog.Resolve("shell.loadavg", new Dictionary<string, string> { ["prefix"] = "x; rm -rf /" }));
        Assert.Equal(ResolveErrorKind.InvalidValue, error.Kind);
    }

    [Fact]
    public void Resolve_never_throws_and_never_lets_an_invalid_value_through()
    {
        Gen.Select(Gen.OneOf("nagios.check_disk", "nagios.check_procs", "nagios.check_dummy", "shell.loadavg", "x", "nagios."),
                   Gen.OneOf("warning", "path", "command", "text", "state", "prefix", "warnin"),
                   Gen.String)
            .Sample((command, name, value) =>
            {
                var result = Catalog.Resolve(command, new Dictionary<string, string> { [name] = value });
                if (result is ResolvedCommand resolved)
                    Assert.All(resolved.Arguments, a => Assert.DoesNotContain('\0', a));
            }, iter: 2000);
    }
}
