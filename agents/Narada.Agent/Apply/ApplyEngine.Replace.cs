using System.Globalization;
using System.Runtime.Versioning;
using Narada.Core.Contracts;

namespace Narada.Agent.Apply;

public sealed partial class ApplyEngine
{
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode NewFileMode = PrivateFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private sealed record ReplacePlan(
        string Target,
        byte[] Content,
        byte[]? Current,
        FileOwnership Ownership,
        IReadOnlyList<string>? Validate,
        IReadOnlyList<string>? OnChange,
        ApplyPolicy Policy,
        string Diff)
    {
        public string Directory => Path.GetDirectoryName(Target)!;
    }

    /// <summary>Temp file, validate, backup, atomic rename, on_change; the target is only touched by the rename.</summary>
    [UnsupportedOSPlatform("windows")]
    private async Task<ApplyReport> ReplaceAsync(ReplacePlan plan, CancellationToken cancellationToken)
    {
        var target = plan.Target;
        var originalMode = plan.Current is null ? NewFileMode : File.GetUnixFileMode(target);
        var originalOwner = plan.Current is null ? null : UnixInterop.Owner(target);
        var temp = TempPathFor(target);
        var renamed = false;
        try
        {
            string? ownerNote;
            try
            {
                await WriteDurablyAsync(temp, plan.Content, cancellationToken).ConfigureAwait(false);
                ownerNote = plan.Ownership.ApplyTo(temp, originalMode, originalOwner);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Failed($"cannot write a new file in {plan.Directory}: {e.Message}; {target} is untouched") with { Diff = plan.Diff };
            }

            string? validateOutput = null;
            if (plan.Validate is not null)
            {
                var validated = await _runner.RunAsync(WithPath(plan.Validate, temp), plan.Policy.CommandTimeout, cancellationToken)
                    .ConfigureAwait(false);
                validateOutput = validated.Output;
                if (!validated.Succeeded)
                    return Refused($"validate {validated.Describe()}; {target} is untouched")
                        with
                    { Diff = plan.Diff, ValidateOutput = validateOutput };
            }

            string? backup;
            try
            {
                backup = plan.Current is null ? null : await BackupAsync(plan, cancellationToken).ConfigureAwait(false);
                File.Move(temp, target, overwrite: true);
                renamed = true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Failed($"cannot replace {target}: {e.Message}; {target} is untouched")
                    with
                { Diff = plan.Diff, ValidateOutput = validateOutput };
            }

            var syncError = UnixInterop.SyncDirectory(plan.Directory);
            var notes = new[] { ownerNote, syncError is null ? null : $"directory fsync failed: {syncError}" }
                .Where(note => note is not null);
            var changed = new ApplyReport(ApplyOutcome.Changed,
                string.Join("; ", [plan.Current is null ? $"created {target}" : $"replaced {target}", .. notes]))
            {
                Diff = plan.Diff,
                ValidateOutput = validateOutput,
                BackupPath = backup,
            };
            return plan.OnChange is null ? changed : await RunOnChangeAsync(plan, changed, originalMode, originalOwner, cancellationToken)
                .ConfigureAwait(false);
        }
        finally
        {
            if (!renamed)
                TryDelete(temp);
        }
    }

    /// <summary>Runs on_change; when it fails, puts the previous file back (or removes a new one) and runs it again.</summary>
    [UnsupportedOSPlatform("windows")]
    private async Task<ApplyReport> RunOnChangeAsync(
        ReplacePlan plan, ApplyReport changed, UnixFileMode originalMode, (uint Uid, uint Gid)? originalOwner,
        CancellationToken cancellationToken)
    {
        var first = await RunAfterReplaceAsync(plan, cancellationToken).ConfigureAwait(false);
        if (first.Succeeded)
            return changed with { OnChangeOutput = first.Output };

        try
        {
            if (plan.Current is null)
            {
                File.Delete(plan.Target);
            }
            else
            {
                var temp = TempPathFor(plan.Target);
                try
                {
                    await WriteDurablyAsync(temp, plan.Current, CancellationToken.None).ConfigureAwait(false);
                    new FileOwnership(originalMode, originalOwner?.Uid, originalOwner?.Gid).ApplyTo(temp, originalMode, null);
                    File.Move(temp, plan.Target, overwrite: true);
                }
                finally
                {
                    TryDelete(temp);
                }
            }
            UnixInterop.SyncDirectory(plan.Directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Failed($"on_change {first.Describe()} and restoring the previous {plan.Target} failed too: {e.Message}; " +
                          $"the backup is {changed.BackupPath ?? "(none, the file was new)"}")
                with
            { Diff = changed.Diff, ValidateOutput = changed.ValidateOutput, OnChangeOutput = first.Output, BackupPath = changed.BackupPath };
        }

        var second = await RunAfterReplaceAsync(plan, CancellationToken.None).ConfigureAwait(false);
        var restored = plan.Current is null ? $"removed the new {plan.Target}" : $"restored the previous {plan.Target}";
        var again = second.Succeeded ? "on_change then succeeded" : $"on_change after the rollback {second.Describe()} too";
        return changed with
        {
            Outcome = ApplyOutcome.RolledBack,
            Message = $"on_change {first.Describe()}; {restored}; {again}",
            OnChangeOutput = $"--- on_change with the new file ({first.Describe()}):\n{first.Output}\n" +
                             $"--- on_change after the rollback ({second.Describe()}):\n{second.Output}",
        };
    }

    private async Task<CommandOutcome> RunAfterReplaceAsync(ReplacePlan plan, CancellationToken cancellationToken)
    {
        try
        {
            return await _runner.RunAsync(WithPath(plan.OnChange!, plan.Target), plan.Policy.CommandTimeout, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The new file is already in place: a cancelled on_change must still roll back, not leave it half-done.
            return new CommandOutcome(null, "", Cancelled: true);
        }
    }

    /// <summary>Keeps the bytes that are being replaced, private to root, mirrored by path and timestamped.</summary>
    [UnsupportedOSPlatform("windows")]
    private async Task<string> BackupAsync(ReplacePlan plan, CancellationToken cancellationToken)
    {
        var mirrored = Path.Join(plan.Policy.BackupDirectory, plan.Target.TrimStart('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(mirrored)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var stamp = _time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss.fff'Z'", CultureInfo.InvariantCulture);
        for (var attempt = 0; ; attempt++)
        {
            var backup = attempt == 0 ? $"{mirrored}.{stamp}" : $"{mirrored}.{stamp}-{attempt}";
            try
            {
                await WriteDurablyAsync(backup, plan.Current!, cancellationToken).ConfigureAwait(false);
                return backup;
            }
            catch (IOException) when (File.Exists(backup) && attempt < 100)
            {
                // Two applies of the same file in one millisecond: take the next name.
            }
        }
    }

    /// <summary>Creates <paramref name="path"/> exclusively (0600 until the real mode is set), writes it and fsyncs it.</summary>
    [UnsupportedOSPlatform("windows")]
    private static async Task WriteDurablyAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            UnixCreateMode = PrivateFile,
        };
        await using var stream = new FileStream(path, options);
        await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
        stream.Flush(flushToDisk: true);
    }

    private static string TempPathFor(string target) =>
        Path.Join(Path.GetDirectoryName(target), $".{Path.GetFileName(target)}.narada-{Guid.NewGuid():N}.tmp");

    private static List<string> WithPath(IReadOnlyList<string> argv, string path) =>
        [.. argv.Select(argument => argument.Replace("%s", path, StringComparison.Ordinal))];

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the temp name is unique and hidden, and the outcome already says what failed.
        }
    }
}
