using Narada.Core.Execution;

namespace Narada.Agent.Apply;

/// <summary>
/// Runs validate and on_change commands with the agent's own process executor: no shell, a minimal environment, its
/// own process group killed whole at the timeout, output capped at <see cref="OutputLimit"/>.
/// </summary>
public sealed class ProcessCommandRunner(IProcessExecutor? executor = null) : IApplyCommandRunner
{
    public const int OutputLimit = 64 * 1024;

    private readonly IProcessExecutor _executor = executor ?? new ProcessExecutor();

    public async Task<CommandOutcome> RunAsync(IReadOnlyList<string> argv, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (argv.Count == 0)
            return new CommandOutcome(null, "", StartError: "empty command");
        var result = await _executor.RunAsync(new ProcessSpec
        {
            Executable = argv[0],
            Arguments = argv.Skip(1).ToArray(),
            Timeout = timeout,
            OutputCap = OutputLimit,
        }, cancellationToken);
        if (result.StartError is { } startError)
            return new CommandOutcome(null, "", StartError: startError);
        var output = result.Stdout + result.Stderr;
        if (output.Length > OutputLimit)
            output = output[..OutputLimit];
        return new CommandOutcome(result.TimedOut ? null : result.ExitCode, output, result.TimedOut);
    }
}
