using System.Runtime.Versioning;
using Narada.Agent.Apply;
using Narada.Core.Contracts;
using Narada.Testing;

namespace Narada.Agent.Tests.Apply;

/// <summary>The engine on real files: dry run, create, idempotence, backup, mode and owner.</summary>
[UnsupportedOSPlatform("windows")]
[Trait("Category", "Peers")]
public sealed class ApplyEngineTests : IDisposable
{
    private readonly ApplyFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    [Fact]
    public async Task Dry_run_returns_the_diff_and_touches_nothing()
    {
        var path = _fx.InRoot("app.conf");
        await File.WriteAllTextAsync(path, "port = 80\nworkers = 2\n");
        var before = File.GetLastWriteTimeUtc(path);

        var outcome = await _fx.ApplyAsync(ApplyFixture.Spec(path, "port = 8080\nworkers = 2\n") with { DryRun = true });

        Assert.Equal(ApplyOutcome.Changed, outcome.Outcome);
        Assert.Contains("would replace", outcome.Message, StringComparison.Ordinal);
        Assert.Equal($"--- a{path}\n+++ b{path}\n@@ -1,2 +1,2 @@\n-port = 80\n+port = 8080\n workers = 2\n", outcome.Diff);
        Assert.Equal("port = 80\nworkers = 2\n", await File.ReadAllTextAsync(path));
        Assert.Equal(before, File.GetLastWriteTimeUtc(path));
        Assert.Equal([path], _fx.FilesInRoot());
        Assert.False(Directory.Exists(_fx.Backups));
    }

    [Fact]
    public async Task Dry_run_of_a_new_file_diffs_against_dev_null_and_creates_nothing()
    {
        var path = _fx.InRoot("new.conf");

        var outcome = await _fx.ApplyAsync(ApplyFixture.Spec(path, "a\n") with { DryRun = true });

        Assert.Equal(ApplyOutcome.Changed, outcome.Outcome);
        Assert.StartsWith("--- /dev/null\n", outcome.Diff, StringComparison.Ordinal);
        Assert.EndsWith("@@ -0,0 +1 @@\n+a\n", outcome.Diff, StringComparison.Ordinal);
        Assert.Empty(_fx.FilesInRoot());
    }

    [Fact]
    public async Task Apply_creates_the_file_with_its_mode()
    {
        var path = _fx.InRoot("motd");

        var outcome = await _fx.ApplyAsync(ApplyFixture.Spec(path, "Welcome\n") with { Mode = "0640" });

        Assert.Equal(ApplyOutcome.Changed, outcome.Outcome);
        Assert.Equal("Welcome\n", await File.ReadAllTextAsync(path));
        Assert.Equal((UnixFileMode)Convert.ToInt32("640", 8), File.GetUnixFileMode(path));
        Assert.Null(outcome.BackupPath);
        Assert.Equal([path], _fx.FilesInRoot());
        Assert.True(outcome.Duration > TimeSpan.Zero);
    }

    [Fact]
    public async Task Second_apply_is_unchanged_and_leaves_the_file_alone()
    {
        var path = _fx.InRoot("motd");
        var spec = ApplyFixture.Spec(path, "Welcome\n") with { Mode = "0644" };
        Assert.Equal(ApplyOutcome.Changed, (await _fx.ApplyAsync(spec)).Outcome);
        var past = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, past);

        var second = await _fx.ApplyAsync(spec);

        Assert.Equal(ApplyOutcome.Unchanged, second.Outcome);
        Assert.Equal("", second.Diff);
        Assert.Equal(past, File.GetLastWriteTimeUtc(path));
        Assert.False(Directory.Exists(_fx.Backups));
    }

    [Fact]
    public async Task Same_content_with_another_mode_fixes_only_the_mode_and_says_so()
    {
        var path = _fx.InRoot("secret.conf");
        await File.WriteAllTextAsync(path, "key\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var past = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, past);

        var outcome = await _fx.ApplyAsync(ApplyFixture.Spec(path, "key\n") with { Mode = "0600" });

        Assert.Equal(ApplyOutcome.Changed, outcome.Outcome);
        Assert.Equal("content unchanged; fixed mode 0604 -> 0600", outcome.Message);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(past, File.GetLastWriteTimeUtc(path));
    }

    [Fact]
    public async Task Replacing_keeps_a_private_backup_and_the_old_mode()
    {
        var path = _fx.InRoot("app.conf");
        await File.WriteAllTextAsync(path, "old\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        var outcome = await _fx.ApplyAsync(ApplyFixture.Spec(path, "new\n"));

        Assert.Equal(ApplyOutcome.Changed, outcome.Outcome);
        Assert.Equal("new\n", await File.ReadAllTextAsync(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(path));
        Assert.NotNull(outcome.BackupPath);
        Assert.StartsWith(Path.Join(_fx.Backups, path) + ".", outcome.BackupPath, StringComparison.Ordinal);
        Assert.Equal("old\n", await File.ReadAllTextAsync(outcome.BackupPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(outcome.BackupPath));
        Assert.Equal([path], _fx.FilesInRoot());
    }

    [Fact]
    public async Task A_backup_directory_that_cannot_be_written_fails_the_apply_and_keeps_the_old_file()
    {
        var path = _fx.InRoot("app.conf");
        await File.WriteAllTextAsync(path, "old\n");
        var blocker = Path.Join(_fx.Base, "backups-is-a-file");
        await File.WriteAllTextAsync(blocker, "not a directory\n");

        var outcome = await _fx.Engine.ApplyAsync(ApplyFixture.Spec(path, "new\n"), _fx.Policy with { BackupDirectory = blocker });

        Assert.Equal(ApplyOutcome.Failed, outcome.Outcome);
        Assert.Contains("backup", outcome.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("old\n", await File.ReadAllTextAsync(path));
        Assert.Equal([path], _fx.FilesInRoot());
    }

    [Fact]
    public async Task Owner_and_group_are_set_when_running_as_root()
    {
        var path = _fx.InRoot("owned.conf");

        var outcome = await _fx.ApplyAsync(ApplyFixture.Spec(path, "x\n") with { Owner = "nobody", Group = "nogroup" });

        Assert.Equal(ApplyOutcome.Changed, outcome.Outcome);
        var stat = await ExternalProcess.RunAsync(RequiredTool.Path("stat", "coreutils"), ["-c", "%U:%G", path]);
        if (Environment.IsPrivilegedProcess)
        {
            Assert.Equal("nobody:nogroup\n", stat.Stdout);
            var again = await _fx.ApplyAsync(ApplyFixture.Spec(path, "x\n") with { Owner = "nobody", Group = "nogroup" });
            Assert.Equal(ApplyOutcome.Unchanged, again.Outcome);
        }
        else
        {
            Assert.Contains("not running as root", outcome.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("0999", null, "mode \"0999\" is not an octal mode")]
    [InlineData("rw-r--r--", null, "is not an octal mode")]
    [InlineData(null, "no-such-user-narada", "owner no-such-user-narada is not a user on this host")]
    public async Task Bad_mode_or_unknown_owner_is_refused_before_writing(string? mode, string? owner, string reason)
    {
        var path = _fx.InRoot("x.conf");

        var outcome = await _fx.ApplyAsync(ApplyFixture.Spec(path, "x\n") with { Mode = mode, Owner = owner });

        Assert.Equal(ApplyOutcome.Refused, outcome.Outcome);
        Assert.Contains(reason, outcome.Message, StringComparison.Ordinal);
        Assert.Empty(_fx.FilesInRoot());
    }

    [Fact]
    public async Task Content_that_does_not_match_its_sha256_is_refused()
    {
        var path = _fx.InRoot("x.conf");
        var spec = ApplyFixture.Spec(path, "sent\n") with { Content = "received\n" };

        var outcome = await _fx.ApplyAsync(spec);

        Assert.Equal(ApplyOutcome.Refused, outcome.Outcome);
        Assert.StartsWith("content corrupted in transit", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(_fx.FilesInRoot());
    }

    [Fact]
    public async Task A_directory_whose_parent_is_a_regular_file_fails_with_the_reason()
    {
        var blocker = _fx.InRoot("plain-file");
        await File.WriteAllTextAsync(blocker, "I am a file\n");
        var path = Path.Join(blocker, "app.conf");

        var outcome = await _fx.ApplyAsync(ApplyFixture.Spec(path, "x\n"));

        Assert.Equal(ApplyOutcome.Failed, outcome.Outcome);
        Assert.Contains($"cannot write a new file in {blocker}", outcome.Message, StringComparison.Ordinal);
        Assert.Equal("I am a file\n", await File.ReadAllTextAsync(blocker));
        Assert.Equal([blocker], _fx.FilesInRoot());
    }

    [Fact]
    public async Task A_missing_directory_fails_with_the_reason()
    {
        var path = _fx.InRoot("no/such/dir/app.conf");

        var outcome = await _fx.ApplyAsync(ApplyFixture.Spec(path, "x\n"));

        Assert.Equal(ApplyOutcome.Failed, outcome.Outcome);
        Assert.Contains("cannot write a new file in", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(_fx.FilesInRoot());
    }

    [Fact]
    public async Task A_directory_as_target_is_refused()
    {
        var outcome = await _fx.ApplyAsync(ApplyFixture.Spec(Directory.CreateDirectory(_fx.InRoot("d")).FullName, "x\n"));

        Assert.Equal(ApplyOutcome.Refused, outcome.Outcome);
        Assert.Contains("is a directory", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_named_pipe_as_target_is_refused_not_read()
    {
        var fifo = _fx.InRoot("pipe");
        var made = await ExternalProcess.RunAsync(RequiredTool.Path("mkfifo", "coreutils"), [fifo]);
        Assert.Equal(0, made.ExitCode);

        var outcome = await _fx.ApplyAsync(ApplyFixture.Spec(fifo, "x\n"));

        Assert.Equal(ApplyOutcome.Refused, outcome.Outcome);
        Assert.Contains("is not a regular file", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_with_missing_fields_is_refused_not_thrown()
    {
        var outcome = await _fx.ApplyAsync(new ApplySpec(_fx.InRoot("x"), null!, null!));

        Assert.Equal(ApplyOutcome.Refused, outcome.Outcome);
        Assert.Equal("the apply request needs path, content and sha256", outcome.Message);
    }

    [Fact]
    public async Task Dry_run_of_a_mode_change_says_what_it_would_fix_and_touches_nothing()
    {
        var path = _fx.InRoot("x.conf");
        await File.WriteAllTextAsync(path, "x\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var outcome = await _fx.ApplyAsync(ApplyFixture.Spec(path, "x\n") with { Mode = "0644", DryRun = true });

        Assert.Equal(ApplyOutcome.Changed, outcome.Outcome);
        Assert.Equal("content unchanged; would fix mode 0600 -> 0644", outcome.Message);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task Backups_taken_in_the_same_millisecond_get_distinct_names()
    {
        var engine = new ApplyEngine(new ProcessCommandRunner(), new FixedTime(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero)));
        var path = _fx.InRoot("app.conf");
        await File.WriteAllTextAsync(path, "v1\n");

        var second = await engine.ApplyAsync(ApplyFixture.Spec(path, "v2\n"), _fx.Policy);
        var third = await engine.ApplyAsync(ApplyFixture.Spec(path, "v3\n"), _fx.Policy);

        var stamp = Path.Join(_fx.Backups, path) + ".20261128T090000.000Z";
        Assert.Equal(stamp, second.BackupPath);
        Assert.Equal(stamp + "-1", third.BackupPath);
        Assert.Equal("v1\n", await File.ReadAllTextAsync(second.BackupPath!));
        Assert.Equal("v2\n", await File.ReadAllTextAsync(third.BackupPath!));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
