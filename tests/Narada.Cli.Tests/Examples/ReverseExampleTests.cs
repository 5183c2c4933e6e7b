using Narada.Cli.Tests.Gearman;
using Narada.Examples.Reverse;
using Narada.Gearman.Client;
using Narada.Gearman.Transport;
using Narada.Gearman.Worker;
using Narada.Testing;

namespace Narada.Cli.Tests.Examples;

[Trait("Category", "Peers")]
public sealed class ReverseExampleTests
{
    private static Task<ProcessResult> PhpClientAsync(GearmandServer server) =>
        ExternalProcess.RunAsync(RequiredTool.Php, [ExampleFiles.Path("reverse", "client.php")], environment: ExampleFiles.ServerEnvironment(server));

    [Fact]
    public async Task The_php_worker_answers_narada_and_csharp_clients()
    {
        await using var server = await GearmandServer.StartAsync();
        await using var phpWorker = await Workers.StartAsync(server, "reverse", s =>
            ExternalProcess.Start(RequiredTool.Php, [ExampleFiles.Path("reverse", "worker.php")], ExampleFiles.ServerEnvironment(s)));
        await using var client = new GearmanClient(new GearmanClientOptions { Servers = [new ServerAddress(server.Host, server.Port)] });

        var narada = await NaradaCli.RunAsync(["submit", "-f", "reverse", "Hello World!"], environment: ExampleFiles.ServerEnvironment(server));
        var php = await PhpClientAsync(server);

        // ExternalProcess captures by line, so output without a final newline comes back with one
        Assert.Equal("!dlroW olleH\n", narada.Stdout);
        Assert.Equal("!dlroW olleH\n", php.Stdout);
        Assert.Equal("!dlroW olleH", await ReverseExample.CallAsync(client, "Hello World!"));
    }

    [Fact]
    public async Task The_php_client_is_answered_by_a_csharp_worker_and_by_narada_worker_rev()
    {
        await using var server = await GearmandServer.StartAsync();

        await using (var worker = new GearmanWorker(new GearmanWorkerOptions { Servers = [new ServerAddress(server.Host, server.Port)] }))
        {
            ReverseExample.Register(worker);
            using var stop = new CancellationTokenSource();
            var run = worker.RunAsync(stop.Token);
            await worker.Registered;
            var fromCSharp = await PhpClientAsync(server);
            await stop.CancelAsync();
            await run;
            Assert.Equal(("!dlroW olleH\n", 0), (fromCSharp.Stdout, fromCSharp.ExitCode));
        }

        await using var rev = await Workers.StartNaradaAsync(server, "reverse", "--", "rev");
        var fromRev = await ExternalProcess.RunAsync(RequiredTool.Php, [ExampleFiles.Path("reverse", "client.php"), "Hello World!\n"],
            environment: ExampleFiles.ServerEnvironment(server));
        Assert.Equal("!dlroW olleH\n", fromRev.Stdout.TrimEnd('\n') + "\n");
    }
}
