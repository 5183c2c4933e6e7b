using CsCheck;
using Narada.Agent.Apply;
using Narada.Testing;

namespace Narada.Agent.Tests.Apply;

/// <summary>Our diffs against GNU diff -u on the same files, and applied back with GNU patch.</summary>
[Trait("Category", "Peers")]
public sealed class UnifiedDiffTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("narada-diff-").FullName;
    private static readonly string DiffTool = RequiredTool.Path("diff", "diffutils");
    private static readonly string PatchTool = RequiredTool.Path("patch", "patch");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Numbered(int count, Func<int, string?>? change = null) =>
        string.Concat(Enumerable.Range(1, count).Select(i => (change?.Invoke(i) ?? $"line {i}") + "\n"));

    public static TheoryData<string, string, string, int> Cases => new()
    {
        { "one line changed mid-file", Numbered(20), Numbered(20, i => i == 10 ? "changed" : null), 3 },
        { "changes 6 apart share a hunk", Numbered(30), Numbered(30, i => i is 8 or 15 ? "x" : null), 3 },
        { "changes 7 apart make two hunks", Numbered(30), Numbered(30, i => i is 8 or 16 ? "x" : null), 3 },
        { "insert at the start, delete at the end", Numbered(10), "new first\n" + Numbered(9), 3 },
        { "block replaced by more lines", Numbered(12), Numbered(12, i => i == 6 ? "a\nb\nc" : null), 3 },
        { "from an empty file", "", "server {\n  listen 80;\n}\n", 3 },
        { "to an empty file", "a\nb\n", "", 3 },
        { "old lacks the final newline", "a\nb\nc", "a\nb\nc\n", 3 },
        { "new lacks the final newline", "a\nb\nc\n", "a\nB\nc", 3 },
        { "both lack it, last line changed", "a\nb", "a\nc", 3 },
        { "no context", Numbered(10), Numbered(10, i => i is 2 or 4 ? "x" : null), 0 },
        { "wide context", Numbered(10), Numbered(10, i => i == 5 ? "x" : null), 10 },
        { "repeated lines", "{\n}\n{\n}\n", "{\n  a\n}\n{\n}\n{\n}\n", 3 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Hunks_are_those_of_diff_u(string name, string oldText, string newText, int context)
    {
        var expected = await GnuDiffAsync(oldText, newText, $"-U{context}");

        var actual = UnifiedDiff.Create(oldText, newText, "a/file", "b/file", context);

        Assert.True(expected.Length > 0, name);
        Assert.Equal(WithoutHeaders(expected), WithoutHeaders(actual));
        Assert.StartsWith("--- a/file\n+++ b/file\n@@ ", actual, StringComparison.Ordinal);
    }

    [Fact]
    public void Equal_texts_give_an_empty_diff() =>
        Assert.Equal("", UnifiedDiff.Create("same\n", "same\n", "a", "b"));

    [Fact]
    public async Task Random_edits_are_minimal_and_patch_reproduces_the_new_text()
    {
        var text = Gen.Int[0, 3].Array[0, 14].Select(Gen.Bool)
            .Select((lines, finalNewline) => string.Join("\n", lines.Select(l => "abcd"[l].ToString())) + (finalNewline && lines.Length > 0 ? "\n" : ""));
        await Gen.Select(text, text).SampleAsync(async pair =>
        {
            var (oldText, newText) = pair;
            var ours = UnifiedDiff.Create(oldText, newText, "a/file", "b/file");
            if (oldText == newText)
            {
                Assert.Equal("", ours);
                return;
            }

            var minimal = await GnuDiffAsync(oldText, newText, "-u", "--minimal");
            Assert.Equal(ChangedLines(minimal), ChangedLines(ours));
            Assert.Equal(newText, await PatchAsync(oldText, ours));
        }, iter: 60);
    }

    [Fact]
    public async Task Files_too_different_for_a_minimal_search_still_get_a_correct_diff()
    {
        var oldText = string.Concat(Enumerable.Range(0, 3000).Select(i => $"old {i}\n"));
        var newText = string.Concat(Enumerable.Range(0, 3000).Select(i => i % 2 == 0 ? $"old {i}\n" : $"new {i}\n"));

        var diff = UnifiedDiff.Create(oldText, newText, "a/big", "b/big");

        Assert.Equal(newText, await PatchAsync(oldText, diff));
    }

    private async Task<string> GnuDiffAsync(string oldText, string newText, params string[] options)
    {
        var (oldFile, newFile) = (UniquePath("old"), UniquePath("new"));
        await File.WriteAllTextAsync(oldFile, oldText);
        await File.WriteAllTextAsync(newFile, newText);
        var result = await ExternalProcess.RunAsync(DiffTool, [.. options, oldFile, newFile]);
        Assert.True(result.ExitCode is 0 or 1, result.ToString());
        return result.Stdout;
    }

    private async Task<string> PatchAsync(string oldText, string diff)
    {
        // Patched in place: with -o, GNU patch refuses hunks that empty a file.
        var (file, diffFile) = (UniquePath("patched"), UniquePath("diff"));
        await File.WriteAllTextAsync(file, oldText);
        await File.WriteAllTextAsync(diffFile, diff);
        var result = await ExternalProcess.RunAsync(PatchTool, ["-s", "--batch", file, diffFile]);
        Assert.True(result.ExitCode == 0, $"{result}\n{diff}");
        return await File.ReadAllTextAsync(file);
    }

    // CsCheck samples on several threads at once.
    private string UniquePath(string name) => Path.Join(_dir, $"{name}-{Guid.NewGuid():N}");

    private static string WithoutHeaders(string diff) => string.Join("\n", diff.Split('\n').Skip(2));

    private static int ChangedLines(string diff) =>
        diff.Split('\n').Skip(2).Count(line => line.StartsWith('-') || line.StartsWith('+'));
}
