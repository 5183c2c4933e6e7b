namespace Narada.Cli.Tests.Verbs;

public class ServerOptionTests
{
    /// <summary>Every verb that takes --server rejects a malformed one with the reason, not a stack trace.</summary>
    [Theory]
    [InlineData("run")]
    [InlineData("server")]
    [InlineData("agent")]
    [InlineData("submit -f echo")]
    public async Task A_malformed_server_address_is_a_usage_error_naming_it(string verb)
    {
        var result = await NaradaCli.RunAsync([.. verb.Split(' '), "--server", "x:notaport"], timeout: TimeSpan.FromSeconds(20));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--server 'x:notaport': port must be a number from 1 to 65535", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }
}
