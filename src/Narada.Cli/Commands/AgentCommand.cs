using System.CommandLine;
using Narada.Agent.Hosting;
using Narada.Cli.Hosting;

namespace Narada.Cli.Commands;

/// <summary>
/// <c>narada agent</c>: the agent's own entry point (<see cref="AgentHost"/>, the same as <c>narada-agent</c>), its
/// arguments handed over as typed, so both take the same options and find their configuration the same way.
/// </summary>
internal static class AgentCommand
{
    public static Command Create()
    {
        var command = new Command("agent", "Run the agent: a Gearman worker serving narada.check/collect/facts/apply@<host>.\n\n" +
            AgentCommandLine.Usage("narada agent") +
            "\n\nExamples:\n  narada agent --config agents/agent.yaml\n  narada agent --server 10.0.0.5:4730 --name web01")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction((parse, _) => AgentHost.RunAsync("narada agent", parse.UnmatchedTokens, DefaultPaths.Plugins));
        return command;
    }
}
