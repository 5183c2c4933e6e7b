namespace Narada.Cli.Tests.Verbs;

public class OptionErrorTests
{
    /// <summary>A malformed address, port or URL, or an option no verb knows, is a usage error (exit 2) that names it,
    /// before anything starts; never a stack trace.</summary>
    [Theory]
    [InlineData("server --server x:notaport", "--server 'x:notaport': port must be a number from 1 to 65535")]
    [InlineData("agent --server x:notaport", "--server 'x:notaport': port must be a number from 1 to 65535")]
    [InlineData("submit -f echo --server x:notaport", "--server 'x:notaport': port must be a number from 1 to 65535")]
    [InlineData("up --http web01:9640", "--http 'web01:9640' is not IP:port")]
    [InlineData("server --http 10.0.0.1", "--http '10.0.0.1' is not IP:port")]
    [InlineData("up --port 70000", "--port: 70000 is not from 1 to 65535")]
    [InlineData("server -p 0", "--port: 0 is not from 1 to 65535")]
    [InlineData("status --url notaurl", "--url 'notaurl' is not an absolute http:// or https:// URL")]
    [InlineData("apply motd --url ftp://x/", "--url 'ftp://x/' is not an absolute http:// or https:// URL")]
    [InlineData("status --bogus", "Unrecognized command or argument '--bogus'")]
    [InlineData("jobserver --port abc", "Cannot parse argument 'abc' for option '--port'")]
    public async Task A_malformed_value_is_a_usage_error_naming_it(string args, string message)
    {
        var result = await NaradaCli.RunAsync(args.Split(' '), timeout: TimeSpan.FromSeconds(20));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.DoesNotContain("listening", result.Stdout + result.Stderr);
    }

    /// <summary><c>narada run</c> exits with the check's status, so its usage errors are UNKNOWN (3) like a Monitoring
    /// Plugin's, not WARNING (1) or CRITICAL (2).</summary>
    [Theory]
    [InlineData("run disk-root --host web01 --server x:notaport", "--server 'x:notaport': port must be a number from 1 to 65535")]
    [InlineData("run disk-root --host web01 --timeout soon", "--timeout")]
    [InlineData("run disk-root --host web01 --bogus", "Unrecognized command or argument '--bogus'")]
    public async Task A_usage_error_of_run_is_unknown(string args, string message)
    {
        var result = await NaradaCli.RunAsync(args.Split(' '), timeout: TimeSpan.FromSeconds(20));
        Assert.Equal(3, result.ExitCode);
        Assert.Contains(message, result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }
}
