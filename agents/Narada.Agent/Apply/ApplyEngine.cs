using System.Diagnostics;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using Narada.Core.Contracts;

namespace Narada.Agent.Apply;

/// <summary>Puts one rendered file in place safely: allow-list, diff, validate, atomic replace, backup, on_change, rollback.</summary>
public sealed partial class ApplyEngine(IApplyCommandRunner runner, TimeProvider? timeProvider = null)
{
    private readonly IApplyCommandRunner _runner = runner;
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>Applies or previews <paramref name="spec"/> under <paramref name="policy"/>; never throws, every problem is an outcome.</summary>
    public async Task<ApplyReport> ApplyAsync(ApplySpec spec, ApplyPolicy policy, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        ApplyReport outcome;
        try
        {
            outcome = OperatingSystem.IsWindows()
                ? Refused("file apply needs a Unix host")
                : await ApplyOnUnixAsync(spec, policy, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Cancellation after the rename is handled by the rollback; before it, nothing has been replaced.
            outcome = Failed($"the apply was cancelled; {spec.Path} is untouched");
        }
        catch (Exception e)
        {
            outcome = Failed($"unexpected error: {e.GetType().Name}: {e.Message}");
        }
        return outcome with { Duration = clock.Elapsed };
    }

    [UnsupportedOSPlatform("windows")]
    private async Task<ApplyReport> ApplyOnUnixAsync(ApplySpec spec, ApplyPolicy policy, CancellationToken cancellationToken)
    {
        // Specs come from JSON: a missing required field arrives as null despite the annotations.
        if (spec.Path is null || spec.Content is null || spec.Sha256 is null)
            return Refused("the apply request needs path, content and sha256");
        var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(spec.Content);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!string.Equals(sha256, spec.Sha256.Trim(), StringComparison.OrdinalIgnoreCase))
            return Refused($"content corrupted in transit: its sha256 is {sha256}, the controller sent {spec.Sha256}");

        var (validate, refusal) = ParseCommand("validate", spec.Validate, policy);
        if (refusal is not null)
            return Refused(refusal);
        (var onChange, refusal) = ParseCommand("on_change", spec.OnChange, policy);
        if (refusal is not null)
            return Refused(refusal);
        (var target, refusal) = new ApplyPathGuard(policy.AllowedRoots).Check(spec.Path);
        if (target is null)
            return Refused(refusal!);
        (var ownership, refusal) = FileOwnership.From(spec);
        if (ownership is null)
            return Refused(refusal!);
        if (Directory.Exists(target))
            return Refused($"{target} is a directory, not a file");
        if (UnixInterop.IsRegularFile(target) is false)
            return Refused($"{target} is not a regular file (a device, pipe or socket)");

        byte[]? current;
        try
        {
            current = File.Exists(target) ? await File.ReadAllBytesAsync(target, cancellationToken).ConfigureAwait(false) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Failed($"cannot read the current {target}: {e.Message}");
        }

        if (current is not null && current.AsSpan().SequenceEqual(bytes))
            return FixDrift(target, ownership, spec.DryRun);

        var diff = UnifiedDiff.Create(
            current is null ? "" : Encoding.UTF8.GetString(current), spec.Content,
            current is null ? "/dev/null" : "a" + target, "b" + target);
        if (spec.DryRun)
        {
            var what = current is null ? "would create" : "would replace";
            return new ApplyReport(ApplyOutcome.Changed, $"{what} {target} ({bytes.Length} bytes)") { Diff = diff };
        }

        var plan = new ReplacePlan(target, bytes, current, ownership, validate, onChange, policy, diff);
        return await ReplaceAsync(plan, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The content is already right; only the mode or owner may need fixing.</summary>
    [UnsupportedOSPlatform("windows")]
    private static ApplyReport FixDrift(string target, FileOwnership ownership, bool dryRun)
    {
        var drift = ownership.Drift(target);
        if (drift.Count == 0)
            return new ApplyReport(ApplyOutcome.Unchanged, $"{target} is already up to date");
        var what = string.Join(", ", drift);
        if (dryRun)
            return new ApplyReport(ApplyOutcome.Changed, $"content unchanged; would fix {what}");
        try
        {
            var note = ownership.ApplyTo(target, File.GetUnixFileMode(target), fallbackOwner: null);
            return new ApplyReport(ApplyOutcome.Changed, $"content unchanged; fixed {what}" + (note is null ? "" : $" ({note})"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Failed($"content unchanged; cannot fix {what}: {e.Message}");
        }
    }

    private static (IReadOnlyList<string>? Argv, string? Refusal) ParseCommand(string role, string? commandLine, ApplyPolicy policy)
    {
        if (string.IsNullOrWhiteSpace(commandLine))
            return (null, null);
        IReadOnlyList<string> argv;
        try
        {
            argv = ApplyCommandLine.Split(commandLine);
        }
        catch (FormatException e)
        {
            return (null, $"{role} command cannot be parsed: {e.Message}");
        }

        if (!Path.IsPathFullyQualified(argv[0]))
            return (null, $"{role} command {argv[0]} must be an absolute path listed in this agent's apply.commands");
        if (!policy.AllowedCommands.Contains(argv[0], StringComparer.Ordinal))
            return (null, $"{role} command {argv[0]} is not allowed by this agent's apply.commands");
        return (argv, null);
    }

    private static ApplyReport Refused(string message) => new(ApplyOutcome.Refused, message);

    private static ApplyReport Failed(string message) => new(ApplyOutcome.Failed, message);
}
