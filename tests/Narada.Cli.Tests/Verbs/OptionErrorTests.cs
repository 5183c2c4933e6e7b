namespace Narada.Cli.Tests.Verbs;

public class OptionErrorTests
{
    /// <summary>
    /// A malformed address, port or URL, or an option no verb knows, is a usage error that names it, before anything
    /// starts; never a stack trace. It exits 2, except for <c>narada run</c>: that exits with a check's status, so its
    /// usage errors are UNKNOWN (3), as a Monitoring Plugin's are, not WARNING (1) or CRITICAL (2).
    /// </summary>
    [Theory]
    [InlineData("server --server x:notaport", 2, "--server 'x:notaport': port must be a number from 1 to 65535")]
    [InlineData("agent --server x:notaport", 2, "--server 'x:notaport': port must be a number from 1 to 65535")]
    [InlineData("submit -f echo --server x:notaport", 2, "--server 'x:notaport': port must be a number from 1 to 65535")]
    [InlineData("up --http web01:9640", 2, "--http 'web01:9640' is not IP:port")]
    [InlineData("server --http 10.0.0.1", 2, "--http '10.0.0.1' is not IP:port")]
    [InlineData("up --port 70000", 2, "--port: 70000 is not from 1 to 65535")]
    [InlineData("server -p 0", 2, "--port: 0 is not from 1 to 65535")]
    [InlineData("up --server 127.0.0.1:1 --port 4731", 2, "--port sets the embedded job server's port; with --server no job server is started here")]
    [InlineData("server --port 4731 --server 127.0.0.1:1", 2, "--port sets the embedded job server's port; with --server no job server is started here")]
    [InlineData("status --url notaurl", 2, "--url 'notaurl' is not an absolute http:// or https:// URL")]
    [InlineData("apply motd --url ftp://x/", 2, "--url 'ftp://x/' is not an absolute http:// or https:// URL")]
    [InlineData("status --bogus", 2, "Unrecognized command or argument '--bogus'")]
    [InlineData("jobserver --port abc", 2, "Cannot parse argument 'abc' for option '--port'")]
    [InlineData("run disk-root --host web01 --server x:notaport", 3, "--server 'x:notaport': port must be a number from 1 to 65535")]
    [InlineData("run disk-root --host web01 --timeout soon", 3, "--timeout")]
    [InlineData("run disk-root --host web01 --bogus", 3, "Unrecognized command or argument '--bogus'")]
    public async Task A_malformed_value_is_a_usage_error_naming_it(string args, int exitCode, string message)
    {
        var result = await NaradaCli.RunAsync(args.Split(' '), timeout: TimeSpan.FromSeconds(20));
        Assert.Equal(exitCode, result.ExitCode);
        Assert.Contains(message, result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.DoesNotContain("listening", result.Stdout + result.Stderr);
    }
}
