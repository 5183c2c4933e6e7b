namespace Narada.Agent.Apply;

/// <summary>Runs a validate or on_change command as an argv, without a shell.</summary>
public interface IApplyCommandRunner
{
    /// <summary>Runs <paramref name="argv"/>; never throws for a failing or missing program, only on cancellation.</summary>
    Task<CommandOutcome> RunAsync(IReadOnlyList<string> argv, TimeSpan timeout, CancellationToken cancellationToken = default);
}
