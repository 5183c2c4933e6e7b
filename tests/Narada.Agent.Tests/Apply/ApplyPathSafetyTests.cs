using Narada.Agent.Apply;
using Narada.Core.Contracts;

namespace Narada.Agent.Tests.Apply;

/// <summary>The allow-list holds after <c>..</c> and symlinks are resolved, and refusals say why.</summary>
public sealed class ApplyPathSafetyTests : IDisposable
{
    private readonly ApplyFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    [Fact]
    public async Task A_path_outside_the_roots_is_refused_naming_them()
    {
        var outcome = await _fx.ApplyAsync(ApplyFixture.Spec("/etc/passwd", "root::0:0::/:/bin/sh\n"));

        Assert.Equal(ApplyOutcome.Refused, outcome.Outcome);
        Assert.Equal($"/etc/passwd is outside the apply paths {_fx.Root}", outcome.Message);
    }

    [Fact]
    public async Task A_root_that_is_a_file_allows_that_file_and_nothing_beside_it()
    {
        // agents/agent.yaml's sample allows exactly /etc/motd, the file `narada up`'s default Apply writes.
        var motd = Path.Join(_fx.Outside, "motd");
        await File.WriteAllTextAsync(motd, "old\n");
        var policy = _fx.Policy with { AllowedRoots = [motd] };

        var same = await _fx.Engine.ApplyAsync(ApplyFixture.Spec(motd, "new\n"), policy);
        Assert.True(same.Outcome == ApplyOutcome.Changed, same.Message);
        Assert.Equal("new\n", await File.ReadAllTextAsync(motd));

        foreach (var beside in new[] { motd + "2", motd + ".d/x", Path.Join(_fx.Outside, "other") })
        {
            var refused = await _fx.Engine.ApplyAsync(ApplyFixture.Spec(beside, "x\n"), policy);
            Assert.True(refused.Outcome == ApplyOutcome.Refused, $"{beside}: {refused.Outcome} {refused.Message}");
        }
        Assert.Equal(["motd"], Directory.GetFileSystemEntries(_fx.Outside).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Dot_dot_cannot_climb_out_of_a_root()
    {
        var sneaky = $"{_fx.Root}/../outside/stolen.conf";

        var outcome = await _fx.ApplyAsync(ApplyFixture.Spec(sneaky, "x\n"));

        Assert.Equal(ApplyOutcome.Refused, outcome.Outcome);
        Assert.Contains($"resolves to {_fx.Outside}/stolen.conf", outcome.Message, StringComparison.Ordinal);
        Assert.Contains($"is outside the apply paths {_fx.Root}", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_fx.Outside));
    }

    [Fact]
    public async Task A_symlinked_file_pointing_outside_is_refused_and_its_target_untouched()
    {
        var secret = Path.Join(_fx.Outside, "shadow");
        await File.WriteAllTextAsync(secret, "secret\n");
        var link = _fx.InRoot("innocent.conf");
        File.CreateSymbolicLink(link, secret);

        var outcome = await _fx.ApplyAsync(ApplyFixture.Spec(link, "pwned\n"));

        Assert.Equal(ApplyOutcome.Refused, outcome.Outcome);
        Assert.Equal($"symlink {link} -> {secret} escapes the apply paths {_fx.Root}", outcome.Message);
        Assert.Equal("secret\n", await File.ReadAllTextAsync(secret));
        Assert.NotNull(new FileInfo(link).LinkTarget);
    }

    [Fact]
    public async Task A_symlinked_directory_pointing_outside_is_refused()
    {
        var link = _fx.InRoot("conf.d");
        Directory.CreateSymbolicLink(link, _fx.Outside);

        var outcome = await _fx.ApplyAsync(ApplyFixture.Spec(Path.Join(link, "new.conf"), "x\n"));

        Assert.Equal(ApplyOutcome.Refused, outcome.Outcome);
        Assert.StartsWith($"symlink {link} -> {_fx.Outside} escapes", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_fx.Outside));
    }

    [Fact]
    public async Task A_relative_symlink_then_dot_dot_is_resolved_like_the_kernel_does()
    {
        // root/deep -> ../outside/a/b, so root/deep/../x is outside/a/x, though it reads like root/x.
        var deepTarget = Directory.CreateDirectory(Path.Join(_fx.Outside, "a", "b")).FullName;
        var link = _fx.InRoot("deep");
        File.CreateSymbolicLink(link, "../outside/a/b");

        var outcome = await _fx.ApplyAsync(ApplyFixture.Spec($"{link}/../x.conf", "x\n"));

        Assert.Equal(ApplyOutcome.Refused, outcome.Outcome);
        Assert.Contains($"symlink {link} -> {deepTarget} escapes", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Join(_fx.Outside, "a")));
    }

    [Fact]
    public async Task A_symlink_that_stays_inside_a_root_is_followed_and_kept()
    {
        var real = _fx.InRoot("real.conf");
        await File.WriteAllTextAsync(real, "old\n");
        var link = _fx.InRoot("current.conf");
        File.CreateSymbolicLink(link, "real.conf");

        var outcome = await _fx.ApplyAsync(ApplyFixture.Spec(link, "new\n"));

        Assert.Equal(ApplyOutcome.Changed, outcome.Outcome);
        Assert.Equal("new\n", await File.ReadAllTextAsync(real));
        Assert.Equal("real.conf", new FileInfo(link).LinkTarget);
    }

    [Fact]
    public async Task A_root_reached_through_a_symlink_still_allows_its_files()
    {
        var alias = Path.Join(_fx.Base, "alias");
        Directory.CreateSymbolicLink(alias, _fx.Root);
        var policy = _fx.Policy with { AllowedRoots = [alias] };

        var outcome = await _fx.Engine.ApplyAsync(ApplyFixture.Spec(Path.Join(_fx.Root, "x.conf"), "x\n"), policy);

        Assert.Equal(ApplyOutcome.Changed, outcome.Outcome);
    }

    [Fact]
    public async Task A_sibling_whose_name_starts_like_the_root_is_outside_it()
    {
        var sibling = Directory.CreateDirectory(_fx.Root + "-evil").FullName;

        var outcome = await _fx.ApplyAsync(ApplyFixture.Spec(Path.Join(sibling, "x.conf"), "x\n"));

        Assert.Equal(ApplyOutcome.Refused, outcome.Outcome);
        Assert.Empty(Directory.GetFileSystemEntries(sibling));
    }

    [Theory]
    [InlineData("relative/path.conf", "is not an absolute path")]
    [InlineData("/srv/\0nul", "NUL character")]
    public async Task Malformed_paths_are_refused(string path, string reason)
    {
        var outcome = await _fx.ApplyAsync(ApplyFixture.Spec(path, "x\n"));

        Assert.Equal(ApplyOutcome.Refused, outcome.Outcome);
        Assert.Contains(reason, outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_symlink_loop_is_refused_not_followed_forever()
    {
        var a = _fx.InRoot("loop-a");
        var b = _fx.InRoot("loop-b");
        File.CreateSymbolicLink(a, b);
        File.CreateSymbolicLink(b, a);

        var outcome = await _fx.ApplyAsync(ApplyFixture.Spec(a, "x\n"));

        Assert.Equal(ApplyOutcome.Refused, outcome.Outcome);
        Assert.Contains("too many levels of symbolic links", outcome.Message, StringComparison.Ordinal);
    }
}
