using Narada.Agent.Apply;
using Narada.Agent.Configuration;
using Narada.Core.Contracts;

namespace Narada.Agent.Jobs;

/// <summary>Serves <c>narada.apply@host</c>: one rendered file checked against this agent's own apply policy.</summary>
public sealed class ApplyJob(string host, ApplyConfig config, ApplyEngine engine)
{
    private readonly ApplyPolicy _policy = new()
    {
        AllowedRoots = config.Paths,
        AllowedCommands = config.Commands,
        BackupDirectory = config.BackupDir,
        CommandTimeout = config.CommandTimeout,
    };

    public async ValueTask<ApplyResult> RunAsync(ApplyRequest request, CancellationToken cancellationToken)
    {
        var spec = new ApplySpec(request.Path, request.Content, request.Sha256, request.Mode, request.Owner, request.Group,
            request.Validate, request.OnChange, request.DryRun);
        var outcome = await engine.ApplyAsync(spec, _policy, cancellationToken);
        return new ApplyResult
        {
            RolloutId = request.RolloutId,
            Host = host,
            Path = request.Path,
            Outcome = outcome.Outcome,
            Message = outcome.Message,
            Diff = outcome.Diff,
            ValidateOutput = outcome.ValidateOutput,
            OnChangeOutput = outcome.OnChangeOutput,
            DurationMs = (long)outcome.Duration.TotalMilliseconds,
        };
    }

    /// <summary>The answer to a request that could not even be read.</summary>
    public ApplyResult Unreadable(string why) => new()
    {
        RolloutId = "",
        Host = host,
        Path = "",
        Outcome = ApplyOutcome.Refused,
        Message = $"unreadable apply request: {why}",
    };
}
