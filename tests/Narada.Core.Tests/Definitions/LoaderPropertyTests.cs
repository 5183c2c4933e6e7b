using CsCheck;
using Narada.Core.Definitions;

namespace Narada.Core.Tests.Definitions;

/// <summary>Whatever text sits in a config file, loading it answers with errors or a set and never throws.</summary>
public sealed class LoaderPropertyTests
{
    private static readonly string[] Fragments =
    [
        "kind: Check", "kind: Apply", "kind: Handler", "kind: Host", "kind: Group", "kind: Collector", "name: x", "name: x",
        "plugin: a.b", "every: 1m", "every: 0s", "cron: \"*/5 * * * *\"", "time_zone: UTC", "targets: { tags: [t] }",
        "targets:", "  tags: [a]", "  round_robin: true", "files:", "  - path: /x", "    content: y", "    template: t",
        "handlers: [x]", "exec: [a]", "webhook: { url: http://h }", "vars: &a { k: [*a] }", "vars: { a: *b }", "---", "...",
        "- item", "? complex", ": value", "&anchor x", "*alias", "!!binary AAAA", "%YAML 1.1", "{[{[", "'unterminated",
        "\"esc \\q\"", "\t tab", "key: |", "  block", "<<: *a", "x: 01:02", "\u00e9: \ud83d\ude00", "",
    ];

    private static readonly Gen<string> YamlLikeText = Gen.OneOf(
        Gen.String,
        Gen.String[Gen.Char["kind:nme-[]{}\n :#&*!|>'\"%@`,?\t0129abc.\\/"], 0, 300],
        Gen.Int[0, Fragments.Length - 1].Array[0, 25].Select(picks => string.Join('\n', picks.Select(i => Fragments[i]))),
        Gen.Int[1, 2000].Select(depth => new string('[', depth)),
        Gen.Int[1, 200].Select(depth => string.Concat(Enumerable.Range(0, depth).Select(i => new string(' ', i) + "a:\n"))));

    [Fact]
    public void Arbitrary_text_never_throws_from_load()
    {
        using var config = new ConfigDirectory();
        YamlLikeText.Sample(text =>
        {
            config.Write("any.yaml", text);
            var result = config.Load();
            Assert.True(result.Set is not null ^ result.Errors.Count > 0);
            Assert.All(result.Errors, error => Assert.False(string.IsNullOrEmpty(error.ToString())));
        }, iter: 600, threads: 1);
    }
}
