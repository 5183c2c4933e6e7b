using System.Runtime.Versioning;
using Narada.Agent.Apply;
using Narada.Core.Contracts;
using Narada.Testing;

namespace Narada.Agent.Tests.Apply;

/// <summary>validate and on_change with real programs: jq as a validator, a failing reload rolled back.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class ApplyCommandTests : IDisposable
{
    private const string ValidJson = "{\"ok\": true}\n";
    private readonly ApplyFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    private string Validate => $"{ApplyFixture.Jq} empty %s";

    [Fact]
    public async Task Valid_json_passes_jq_and_is_applied()
    {
        var path = _fx.InRoot("app.json");

        var outcome = await _fx.ApplyAsync(ApplyFixture.Spec(path, ValidJson) with { Validate = Validate });

        Assert.Equal(ApplyOutcome.Changed, outcome.Outcome);
        Assert.Equal(ValidJson, await File.ReadAllTextAsync(path));
        Assert.Equal("", outcome.ValidateOutput);
    }

    [Fact]
    public async Task Invalid_json_is_refused_by_jq_and_the_original_stays()
    {
        var path = _fx.InRoot("app.json");
        await File.WriteAllTextAsync(path, ValidJson);

        var outcome = await _fx.ApplyAsync(ApplyFixture.Spec(path, "{\"ok\": tru\n") with { Validate = Validate });

        Assert.Equal(ApplyOutcome.Refused, outcome.Outcome);
        Assert.StartsWith("validate exited with code", outcome.Message, StringComparison.Ordinal);
        Assert.Contains("parse error", outcome.ValidateOutput, StringComparison.Ordinal);
        Assert.Contains("+{\"ok\": tru", outcome.Diff, StringComparison.Ordinal);
        Assert.Equal(ValidJson, await File.ReadAllTextAsync(path));
        Assert.Equal([path], _fx.FilesInRoot());
        Assert.False(Directory.Exists(_fx.Backups));
    }

    [Fact]
    public async Task A_failing_on_change_rolls_back_and_runs_again_on_the_old_file()
    {
        // jq -e fails when .ok is false: the new file makes on_change fail, the restored one makes it pass.
        var path = _fx.InRoot("app.json");
        await File.WriteAllTextAsync(path, ValidJson);
        var spec = ApplyFixture.Spec(path, "{\"ok\": false}\n") with { OnChange = $"{ApplyFixture.Jq} -e .ok %s" };

        var outcome = await _fx.ApplyAsync(spec);

        Assert.Equal(ApplyOutcome.RolledBack, outcome.Outcome);
        Assert.Equal($"on_change exited with code 1; restored the previous {path}; on_change then succeeded", outcome.Message);
        Assert.Equal(ValidJson, await File.ReadAllTextAsync(path));
        Assert.Contains("with the new file (exited with code 1):\nfalse\n", outcome.OnChangeOutput, StringComparison.Ordinal);
        Assert.Contains("after the rollback (exited with code 0):\ntrue\n", outcome.OnChangeOutput, StringComparison.Ordinal);
        Assert.Equal("{\"ok\": true}\n", await File.ReadAllTextAsync(outcome.BackupPath!));
        Assert.Equal([path], _fx.FilesInRoot());
    }

    [Fact]
    public async Task On_change_that_always_fails_is_rolled_back_and_says_it_failed_twice()
    {
        var path = _fx.InRoot("app.conf");
        await File.WriteAllTextAsync(path, "old\n");

        var outcome = await _fx.ApplyAsync(ApplyFixture.Spec(path, "new\n") with { OnChange = "/bin/false" });

        Assert.Equal(ApplyOutcome.RolledBack, outcome.Outcome);
        Assert.EndsWith("on_change after the rollback exited with code 1 too", outcome.Message, StringComparison.Ordinal);
        Assert.Equal("old\n", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task A_new_file_whose_on_change_fails_is_removed_again()
    {
        var path = _fx.InRoot("new.conf");

        var outcome = await _fx.ApplyAsync(ApplyFixture.Spec(path, "new\n") with { OnChange = "/bin/false" });

        Assert.Equal(ApplyOutcome.RolledBack, outcome.Outcome);
        Assert.Contains($"removed the new {path}", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(_fx.FilesInRoot());
    }

    [Fact]
    public async Task A_succeeding_on_change_sees_the_target_path()
    {
        var path = _fx.InRoot("app.json");

        var outcome = await _fx.ApplyAsync(ApplyFixture.Spec(path, ValidJson) with { OnChange = $"{ApplyFixture.Jq} -c . %s" });

        Assert.Equal(ApplyOutcome.Changed, outcome.Outcome);
        Assert.Equal("{\"ok\":true}\n", outcome.OnChangeOutput);
    }

    [Theory]
    [InlineData("/usr/sbin/nginx -t -c %s", "validate command /usr/sbin/nginx is not allowed by this agent's apply.commands")]
    [InlineData("jq empty %s", "validate command jq must be an absolute path listed in this agent's apply.commands")]
    [InlineData("/usr/bin/jq 'empty", "validate command cannot be parsed: unterminated ' quote")]
    public async Task Commands_outside_the_allow_list_are_refused_before_anything_runs(string validate, string reason)
    {
        var path = _fx.InRoot("app.json");

        var outcome = await _fx.ApplyAsync(ApplyFixture.Spec(path, ValidJson) with { Validate = validate });

        Assert.Equal(ApplyOutcome.Refused, outcome.Outcome);
        Assert.StartsWith(reason, outcome.Message, StringComparison.Ordinal);
        Assert.Empty(_fx.FilesInRoot());
    }

    [Fact]
    public async Task An_on_change_outside_the_allow_list_is_refused_even_on_a_dry_run()
    {
        var outcome = await _fx.ApplyAsync(
            ApplyFixture.Spec(_fx.InRoot("x"), "x\n") with { OnChange = "/bin/systemctl reload nginx", DryRun = true });

        Assert.Equal(ApplyOutcome.Refused, outcome.Outcome);
        Assert.Equal("on_change command /bin/systemctl is not allowed by this agent's apply.commands", outcome.Message);
    }

    [Fact]
    public async Task A_validator_that_hangs_is_killed_and_the_apply_refused()
    {
        var path = _fx.InRoot("app.conf");
        await File.WriteAllTextAsync(path, "old\n");
        var policy = _fx.Policy with { AllowedCommands = ["/bin/sleep"], CommandTimeout = TimeSpan.FromMilliseconds(300) };

        var outcome = await _fx.Engine.ApplyAsync(ApplyFixture.Spec(path, "new\n") with { Validate = "/bin/sleep 30" }, policy);

        Assert.Equal(ApplyOutcome.Refused, outcome.Outcome);
        Assert.StartsWith("validate timed out and was killed", outcome.Message, StringComparison.Ordinal);
        Assert.Equal("old\n", await File.ReadAllTextAsync(path));
        Assert.Equal([path], _fx.FilesInRoot());
    }

    [Fact]
    public async Task Cancelling_during_validate_fails_cleanly_without_a_temp_file()
    {
        var path = _fx.InRoot("app.conf");
        await File.WriteAllTextAsync(path, "old\n");
        var policy = _fx.Policy with { AllowedCommands = ["/bin/sleep"] };
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var outcome = await _fx.Engine.ApplyAsync(ApplyFixture.Spec(path, "new\n") with { Validate = "/bin/sleep 30" }, policy, cancel.Token);

        Assert.Equal(ApplyOutcome.Failed, outcome.Outcome);
        Assert.Contains("cancelled", outcome.Message, StringComparison.Ordinal);
        Assert.Equal("old\n", await File.ReadAllTextAsync(path));
        Assert.Equal([path], _fx.FilesInRoot());
    }

    [Fact]
    public async Task Cancelling_during_on_change_still_rolls_back()
    {
        var path = _fx.InRoot("app.conf");
        await File.WriteAllTextAsync(path, "old\n");
        // With the new file in place this on_change says it started and then waits to be killed; with the old one it
        // succeeds at once. The test cancels only once it started, so no timer races the apply on a loaded machine.
        var started = Path.Join(_fx.Base, "started");
        var reload = Path.Join(_fx.Base, "reload");
        await File.WriteAllTextAsync(reload, "#!/bin/sh\ngrep -q new \"$1\" || exit 0\ntouch \"$2\"\nexec sleep 60\n");
        File.SetUnixFileMode(reload, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var policy = _fx.Policy with { AllowedCommands = [reload], CommandTimeout = TimeSpan.FromSeconds(90) };
        using var cancel = new CancellationTokenSource();

        var applying = _fx.Engine.ApplyAsync(ApplyFixture.Spec(path, "new\n") with { OnChange = $"{reload} %s {started}" }, policy, cancel.Token);
        await Retry.UntilAsync(() => File.Exists(started), "on_change to start with the new file");
        await cancel.CancelAsync();
        var outcome = await applying.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ApplyOutcome.RolledBack, outcome.Outcome);
        Assert.Equal($"on_change was cancelled; restored the previous {path}; on_change then succeeded", outcome.Message);
        Assert.Equal("old\n", await File.ReadAllTextAsync(path));
    }
}
