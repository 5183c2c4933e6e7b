using Narada.Testing;

namespace Narada.Cli.Tests.Verbs;

/// <summary>
/// <c>--secrets DIR</c>: templates read secrets from files on the controller, never from the definitions; a missing one
/// stops the file with where it was looked for, and a mistyped directory stops the start.
/// </summary>
[Trait("Category", "Peers")]
public sealed class SecretsTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("narada-secrets-").FullName;
    private readonly int _port = FreePort.Next();
    private readonly int _http = FreePort.Next();
    private ExternalProcess _up = null!;

    // Longer than the 80 columns Spectre.Console assumes without a terminal: the diff line must still come out whole.
    private static readonly string Token = "s3cr3t-from-a-file-" + new string('x', 100);

    private string Config => Path.Combine(_root, "config");
    private string Secrets => Path.Combine(_root, "secrets");
    private string Url => $"http://127.0.0.1:{_http}/";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(Config, "templates"));
        Directory.CreateDirectory(Secrets);
        // The sample agent (agents/agent.yaml, tag linux) may write /etc/motd; a dry run only diffs against it.
        await File.WriteAllTextAsync(Path.Combine(Config, "apply.yaml"), """
            kind: Apply
            name: banner
            targets: { tags: [linux] }
            files:
              - path: /etc/motd
                template: templates/banner.scriban
            """);
        await File.WriteAllTextAsync(Path.Combine(Config, "templates", "banner.scriban"), "token={{ secret \"banner-token\" }}\n");
        await File.WriteAllTextAsync(Path.Combine(Secrets, "banner-token"), Token + "\n");

        _up = await NaradaCli.StartListeningAsync(["up", "--port", _port.ToString(), "--http", $"127.0.0.1:{_http}",
            "--data", Path.Combine(_root, "data"), "--config", Config, "--secrets", Secrets], _http, RepoPaths.Root);
    }

    [Fact]
    public async Task A_template_reads_its_secret_from_the_directory_and_a_missing_one_names_where_it_looked_in_unwrapped_lines()
    {
        ProcessResult preview = null!;
        // The local agent needs a heartbeat before the rollout has a host.
        await Retry.UntilAsync(async () =>
        {
            preview = await NaradaCli.RunAsync(["apply", "banner", "--dry-run", "--url", Url]);
            return preview.Stdout.Contains("token=", StringComparison.Ordinal);
        }, "a dry run with the rendered file", TimeSpan.FromSeconds(30));
        Assert.Contains("\n+token=" + Token + "\n", preview.Stdout, StringComparison.Ordinal);

        File.Delete(Path.Combine(Secrets, "banner-token"));
        var missing = await NaradaCli.RunAsync(["apply", "banner", "--dry-run", "--url", Url]);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains($"no file {Path.Combine(Secrets, "banner-token")} and no environment variable NARADA_SECRET_BANNER_TOKEN",
            missing.Stdout + missing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secrets_directory_that_does_not_exist_stops_the_start()
    {
        var absent = Path.Combine(_root, "no-such-dir");
        var server = await NaradaCli.RunAsync(["server", "--server", $"127.0.0.1:{_port}", "--http", $"127.0.0.1:{FreePort.Next()}",
            "--data", Path.Combine(_root, "data2"), "--config", Config, "--secrets", absent]);
        Assert.Equal(1, server.ExitCode);
        Assert.Contains($"--secrets {absent}: no such directory", server.Stderr, StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (!_up.HasExited)
            {
                await NaradaCli.InterruptAsync(_up);
            }
        }
        finally
        {
            await _up.DisposeAsync();
            Directory.Delete(_root, recursive: true);
        }
    }
}
