using Narada.Cli.Tests.Gearman;
using Narada.Testing;

namespace Narada.Cli.Tests.Examples;

[Trait("Category", "Peers")]
public sealed class CommandLineExampleTests
{
    [Fact]
    public async Task Files_piped_through_narada_submit_are_counted_by_a_wc_worker()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var worker = await Workers.StartNaradaAsync(server, "wc", "--", "wc", "-l");
        var file = string.Concat(Enumerable.Range(1, 1234).Select(i => $"line {i}\n"));
        var env = ExampleFiles.ServerEnvironment(server);

        var narada = await NaradaCli.RunAsync(["submit", "-f", "wc"], stdin: file, environment: env);
        var gearman = await ExternalProcess.RunAsync(RequiredTool.Gearman, ["-f", "wc"], stdin: file, environment: env);
        var local = await ExternalProcess.RunAsync(RequiredTool.Path("wc", "coreutils"), ["-l"], stdin: file);
        var twoFiles = await NaradaCli.RunAsync(["submit", "-f", "wc"], stdin: file + "one more\n", environment: env);

        Assert.Equal("1234\n", local.Stdout);
        Assert.Equal(local.Stdout, narada.Stdout);
        Assert.Equal(gearman.Stdout, narada.Stdout);
        Assert.Equal("1235\n", twoFiles.Stdout);
    }
}
