namespace Narada.Core.Execution;

/// <summary>Runs one program to completion; the seam where job handlers meet process execution.</summary>
public interface IProcessExecutor
{
    /// <summary>Runs <paramref name="spec"/>; failures to start come back as <see cref="ExecutionResult.StartError"/>, not exceptions.</summary>
    Task<ExecutionResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken = default);
}
