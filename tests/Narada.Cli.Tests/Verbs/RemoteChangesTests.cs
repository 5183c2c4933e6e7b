using Narada.Testing;

namespace Narada.Cli.Tests.Verbs;

/// <summary><c>narada apply</c> and <c>narada silence</c> against a controller that listens beyond loopback without a client CA.</summary>
[Trait("Category", "Peers")]
public sealed class RemoteChangesTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("narada-remote-").FullName;
    private readonly int _http = FreePort.Next();
    private ExternalProcess _server = null!;

    public async Task InitializeAsync()
    {
        _server = await NaradaCli.StartListeningAsync(["server", "--port", FreePort.Next().ToString(), "--http", $"0.0.0.0:{_http}",
            "--data", _data], _http, RepoPaths.Root);
    }

    [Fact]
    public async Task Apply_from_another_address_is_refused_with_the_reason_and_from_loopback_it_runs()
    {
        var remote = await NaradaCli.RunAsync(["apply", "motd", "--dry-run", "--url", $"http://{NonLoopback.Address()}:{_http}/"]);
        Assert.Equal(2, remote.ExitCode);
        Assert.Contains("narada apply: the controller refused: changes are taken from loopback only", remote.Stderr);

        var local = await NaradaCli.RunAsync(["apply", "motd", "--dry-run", "--url", $"http://127.0.0.1:{_http}/"]);
        Assert.DoesNotContain("refused", local.Stderr);
        Assert.Contains("rollout", local.Stdout);
    }

    [Fact]
    public async Task Silences_are_added_listed_and_lifted_from_loopback_and_refused_from_another_address()
    {
        var local = $"http://127.0.0.1:{_http}/";
        var added = await NaradaCli.RunAsync(["silence", "add", "--host", "web01", "--for", "2h", "--reason", "disk swap", "--url", local]);
        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Contains("silenced host web01 until", added.Stdout);
        var id = added.Stdout.Split("(id ")[1].TrimEnd().TrimEnd(')');

        var listed = await NaradaCli.RunAsync(["silence", "list", "--url", local]);
        Assert.Contains($"{id}  until", listed.Stdout);
        Assert.Contains("host web01  disk swap", listed.Stdout);

        var remote = await NaradaCli.RunAsync(["silence", "lift", id, "--url", $"http://{NonLoopback.Address()}:{_http}/"]);
        Assert.Equal(2, remote.ExitCode);
        Assert.Contains("narada silence lift: the controller refused: changes are taken from loopback only", remote.Stderr);

        Assert.Equal(0, (await NaradaCli.RunAsync(["silence", "lift", id, "--url", local])).ExitCode);
        Assert.DoesNotContain(id, (await NaradaCli.RunAsync(["silence", "list", "--url", local])).Stdout);
        var again = await NaradaCli.RunAsync(["silence", "lift", id, "--url", local]);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("no such silence", again.Stderr);

        var bad = await NaradaCli.RunAsync(["silence", "add", "--for", "soon", "--url", local]);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("duration", bad.Stderr);
    }

    public async Task DisposeAsync()
    {
        try
        {
            await NaradaCli.InterruptAsync(_server);
        }
        finally
        {
            // Killed if Ctrl-C did not stop it, so a failure here leaves no server behind.
            await _server.DisposeAsync();
            Directory.Delete(_data, recursive: true);
        }
    }
}
