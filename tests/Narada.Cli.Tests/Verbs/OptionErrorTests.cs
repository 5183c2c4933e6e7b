namespace Narada.Cli.Tests.Verbs;

public class OptionErrorTests
{
    /// <summary>A malformed address, port or URL is a usage error that names it, before anything starts; never a stack trace.</summary>
    [Theory]
    [InlineData("run --server x:notaport", "--server 'x:notaport': port must be a number from 1 to 65535")]
    [InlineData("server --server x:notaport", "--server 'x:notaport': port must be a number from 1 to 65535")]
    [InlineData("agent --server x:notaport", "--server 'x:notaport': port must be a number from 1 to 65535")]
    [InlineData("submit -f echo --server x:notaport", "--server 'x:notaport': port must be a number from 1 to 65535")]
    [InlineData("up --http web01:9640", "--http 'web01:9640' is not IP:port")]
    [InlineData("server --http 10.0.0.1", "--http '10.0.0.1' is not IP:port")]
    [InlineData("up --port 70000", "--port: 70000 is not from 1 to 65535")]
    [InlineData("server -p 0", "--port: 0 is not from 1 to 65535")]
    [InlineData("status --url notaurl", "--url 'notaurl' is not an absolute http:// or https:// URL")]
    [InlineData("apply motd --url ftp://x/", "--url 'ftp://x/' is not an absolute http:// or https:// URL")]
    public async Task A_malformed_value_is_a_usage_error_naming_it(string args, string message)
    {
        var result = await NaradaCli.RunAsync(args.Split(' '), timeout: TimeSpan.FromSeconds(20));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.DoesNotContain("listening", result.Stdout + result.Stderr);
    }
}
