using System.Diagnostics;
using Narada.Agent.Manifests;
using Narada.Core.Contracts;
using Narada.Core.Execution;
using Narada.Core.Formats;
using Narada.Core.Plugins;
using Narada.Plugins.System;

namespace Narada.Agent.Jobs;

/// <summary>
/// Runs one check or collect request: a <c>system.*</c> command with the built-in collectors, anything else only as
/// this agent's own manifests declare it. Every failure becomes an UNKNOWN result that says why; nothing throws.
/// </summary>
public sealed class JobRunner(string host, ManifestCatalog catalog, BuiltinCollectors builtins, IProcessExecutor executor, long outputCap)
{
    public async ValueTask<JobResult> RunAsync(JobRequest request, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        JobResult result;
        try
        {
            result = request.Plugin.StartsWith(BuiltinCollectors.PluginName + ".", StringComparison.Ordinal)
                ? await RunBuiltinAsync(request, cancellationToken)
                : await RunManifestAsync(request, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            result = Unknown(request, $"agent error: {e.Message}");
        }
        result.StartedAt = started;
        result.DurationMs = clock.ElapsedMilliseconds;
        return result;
    }

    /// <summary>The result sent when a request cannot be run at all.</summary>
    public JobResult Unknown(JobRequest request, string why) => new()
    {
        Id = request.Id,
        Kind = request.Kind,
        Name = request.Name,
        Host = host,
        Plugin = request.Plugin,
        Status = CheckStatus.Unknown,
        Output = why,
        Error = why,
    };

    private async ValueTask<JobResult> RunBuiltinAsync(JobRequest request, CancellationToken cancellationToken)
    {
        var name = request.Plugin[(BuiltinCollectors.PluginName.Length + 1)..];
        if (!builtins.TryGet(name, out IBuiltinCollector? collector))
            return Unknown(request, $"unknown built-in command '{request.Plugin}' (have: {string.Join(", ", builtins.All.Select(c => "system." + c.Name))})");
        var samples = await collector.CollectAsync(cancellationToken);
        return new JobResult
        {
            Id = request.Id,
            Kind = request.Kind,
            Name = request.Name,
            Host = host,
            Plugin = request.Plugin,
            Status = CheckStatus.Ok,
            Output = $"{samples.Count} samples",
            Samples = [.. samples.Select(SampleItem.From)],
        };
    }

    private async ValueTask<JobResult> RunManifestAsync(JobRequest request, CancellationToken cancellationToken)
    {
        var resolved = catalog.Resolve(request.Plugin, request.Params);
        if (resolved is not ResolvedCommand command)
            return Unknown(request, resolved is ResolveError error ? error.Message : $"cannot run {request.Plugin}");
        var timeout = request.TimeoutMs is { } ms ? TimeSpan.FromMilliseconds(ms) : (TimeSpan?)null;
        var run = await executor.RunAsync(command.ToProcessSpec(outputCap, timeout), cancellationToken);
        if (run.StartError is { } startError)
            return Unknown(request, $"could not start {command.Executable}: {startError}");
        if (run.TimedOut)
            return Unknown(request, $"{request.Plugin} timed out after {run.Duration.TotalSeconds:0.#}s and was killed");
        var format = Enum.TryParse<OutputFormat>(command.Output, ignoreCase: true, out var f) ? f : OutputFormat.Text;
        var parsed = PluginOutput.Parse(format, run.ExitCode, run.Stdout, run.Stderr, request.Name);
        var result = JobResult.For(request, host, parsed);
        result.ExitCode = run.ExitCode;
        if (run.StdoutTruncated)
            result.Notes = [.. result.Notes, $"output truncated at {outputCap} bytes"];
        var original = catalog.Find(Narada.Core.Definitions.PluginReference.PluginOf(request.Plugin), Narada.Core.Definitions.PluginReference.CommandOf(request.Plugin));
        if (original?.Hooks.Where(h => h.On.Contains(result.Status)).ToArray() is { Length: > 0 } hooks)
            result.Hooks = [.. await Task.WhenAll(hooks.Select(h => RunHookAsync(original, h, request, cancellationToken)))];
        return result;
    }

    /// <summary>Runs one hook: a command of the same manifest, with the request's parameters it declares, as any
    /// command runs (no shell, its own timeout, output capped). Whatever happens is its output; nothing throws.</summary>
    private async Task<HookOutput> RunHookAsync(ManifestCommand check, CommandHook hook, JobRequest request, CancellationToken cancellationToken)
    {
        var name = $"{check.Plugin}.{hook.Command}";
        var target = catalog.Find(check.Plugin, hook.Command);
        var parameters = request.Params.Where(p => target?.Params.ContainsKey(p.Key) == true).ToDictionary(p => p.Key, p => p.Value);
        var resolved = catalog.Resolve(name, parameters);
        if (resolved is not ResolvedCommand command)
            return new HookOutput(name, null, $"cannot run {name}: {(resolved as ResolveError)?.Message}");
        var run = await executor.RunAsync(command.ToProcessSpec(outputCap, null), cancellationToken);
        if (run.StartError is { } error)
            return new HookOutput(name, null, $"could not start {command.Executable}: {error}");
        if (run.TimedOut)
            return new HookOutput(name, null, $"timed out after {run.Duration.TotalSeconds:0.#}s and was killed");
        return new HookOutput(name, run.ExitCode, (run.Stdout + run.Stderr).TrimEnd());
    }
}
