using CsCheck;
using Narada.Core.Formats;
using Narada.Core.Yaml;

namespace Narada.Core.Tests.Formats;

/// <summary>Every YAML file Narada reads goes through YamlLoader: broken text is a YamlSyntaxException with a position, never another exception.</summary>
public sealed class YamlLoaderTests
{
    [Theory]
    // YamlDotNet's scanner throws InvalidOperationException on a [ left open before the end (seen in an agent.yaml).
    [InlineData("servers: [127.0.0.1:4730\nname: x\n", 1)]
    [InlineData("rules: [identity: x\nsubmit: y\n", 1)]
    [InlineData("a: 1\nb: [x, y\nc: 2\n", 2)]
    public void Text_the_parser_gives_up_on_is_a_syntax_error_with_a_position(string text, int line)
    {
        var e = Assert.Throws<YamlSyntaxException>(() => YamlLoader.Load(text));
        Assert.StartsWith("YAML syntax error after this point: the parser gave up", e.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(e.InnerException);
        Assert.Equal(line, e.Start.Line);
        Assert.True(e.Start.Column >= 1, $"column {e.Start.Column}");
    }

    [Fact]
    public void A_syntax_error_is_reported_where_the_parser_found_it_without_its_own_position_prefix()
    {
        var e = Assert.Throws<YamlSyntaxException>(() => YamlLoader.Load("a: 1\nb: c: d\n"));
        Assert.StartsWith("YAML syntax error: ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Line:", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, e.Start.Line);
    }

    [Fact]
    public void Nesting_past_the_limit_is_refused_where_it_starts()
    {
        var flow = "a: " + new string('[', YamlLoader.MaxNesting + 1);
        var e = Assert.Throws<YamlSyntaxException>(() => YamlLoader.Load(flow));
        Assert.Contains("nesting limit", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, e.Start.Line);

        var block = string.Concat(Enumerable.Range(0, YamlLoader.MaxNesting + 1).Select(i => new string(' ', 2 * i) + "k:\n")) + new string(' ', 2 * (YamlLoader.MaxNesting + 1)) + "v\n";
        var deep = Assert.Throws<YamlSyntaxException>(() => YamlLoader.Load(block));
        Assert.Equal($"nesting deeper than {YamlLoader.MaxNesting} levels", deep.Message);
    }

    [Fact]
    public void Valid_text_loads()
    {
        var stream = YamlLoader.Load("servers: [127.0.0.1:4730]\nname: web01\n");
        Assert.Single(stream.Documents);
    }

    [Fact]
    public void Mutated_files_load_or_fail_only_with_a_positioned_syntax_error()
    {
        const string Seed = "servers:\n  - 127.0.0.1:4730\ntags: [linux, \"db\"]\napply:\n  paths: { a: '/etc/motd' }\n  list: |\n    text\n# c\n";
        var mutated = Gen.Int[0, Seed.Length].SelectMany(at => Gen.Int[0, 4].SelectMany(cut =>
            Gen.Char["[]{}:,-'\"|>#&*!%@` \n\t?"].Array[0, 4].Select(insert =>
                Seed[..at] + new string(insert) + Seed[Math.Min(Seed.Length, at + cut)..])));
        mutated.Sample(text =>
        {
            try
            {
                YamlLoader.Load(text);
            }
            catch (YamlSyntaxException e)
            {
                Assert.True(e.Start.Line >= 1, $"line {e.Start.Line} for {text}");
            }
        }, iter: 20000);
    }
}
