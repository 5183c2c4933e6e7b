using Narada.Agent.Apply;

namespace Narada.Agent.Tests.Apply;

public sealed class ApplyCommandLineTests
{
    [Theory]
    [InlineData("/usr/sbin/nginx -t -c %s", new[] { "/usr/sbin/nginx", "-t", "-c", "%s" })]
    [InlineData("  /bin/echo   a\tb  ", new[] { "/bin/echo", "a", "b" })]
    [InlineData("/bin/echo 'a b' \"c d\"", new[] { "/bin/echo", "a b", "c d" })]
    [InlineData("/bin/echo 'it\\s' \"say \\\"hi\\\" \\\\ \\n\"", new[] { "/bin/echo", "it\\s", "say \"hi\" \\ \\n" })]
    [InlineData("/bin/echo a\\ b \\'c", new[] { "/bin/echo", "a b", "'c" })]
    [InlineData("/bin/echo x'y'\"z\" '' \"\"", new[] { "/bin/echo", "xyz", "", "" })]
    [InlineData("/bin/echo $HOME;rm -rf / | cat", new[] { "/bin/echo", "$HOME;rm", "-rf", "/", "|", "cat" })]
    public void Splits_like_a_shell_would_without_expanding_anything(string commandLine, string[] expected) =>
        Assert.Equal(expected, ApplyCommandLine.Split(commandLine));

    [Theory]
    [InlineData("/bin/echo 'open", "unterminated '")]
    [InlineData("/bin/echo \"open", "unterminated \"")]
    [InlineData("/bin/echo trailing\\", "trailing backslash")]
    [InlineData("   ", "empty")]
    public void Bad_quoting_is_a_clear_error(string commandLine, string reason)
    {
        var error = Assert.Throws<FormatException>(() => ApplyCommandLine.Split(commandLine));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }
}
